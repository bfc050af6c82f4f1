namespace CretoAI.Fast.Wire.Handshake;

/// <summary>
/// The byte string both sides sign. Binding both nonces makes each signature fresh (no replay),
/// binding the chain id and protocol version stops cross-chain and downgrade use, binding both key
/// hashes ties the session to the two identities, and the role stops a client signature being
/// passed off as a validator's. Each side signs with its own ML-DSA context string
/// (<see cref="ServerContext"/>, <see cref="ClientContext"/>), so one side's signature can never be
/// replayed as the other's.
/// <code>
///  0  24  "CRETOAI-FAST/HANDSHAKE/1" (ASCII)
/// 24   1  protocol version
/// 25   1  client role
/// 26  32  chain id
/// 58  32  client nonce
/// 90  32  server nonce
/// 122 32  SHA3-256(client public key)
/// 154 32  SHA3-256(server public key)
/// </code>
/// </summary>
public static class HandshakeTranscript
{
    public const int Length = 186;

    public static ReadOnlySpan<byte> Label => "CRETOAI-FAST/HANDSHAKE/1"u8;

    /// <summary>ML-DSA context string for the server's signature.</summary>
    public static ReadOnlySpan<byte> ServerContext => "cretoai-fast/handshake/server"u8;

    /// <summary>ML-DSA context string for the client's signature.</summary>
    public static ReadOnlySpan<byte> ClientContext => "cretoai-fast/handshake/client"u8;

    public static void Write(
        Span<byte> destination,
        byte protocolVersion,
        PeerRole clientRole,
        ReadOnlySpan<byte> chainId,
        ReadOnlySpan<byte> clientNonce,
        ReadOnlySpan<byte> serverNonce,
        ReadOnlySpan<byte> clientKeyHash,
        ReadOnlySpan<byte> serverKeyHash)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"The transcript needs {Length} bytes.", nameof(destination));
        }

        RequireLength(chainId, nameof(chainId));
        RequireLength(clientNonce, nameof(clientNonce));
        RequireLength(serverNonce, nameof(serverNonce));
        RequireLength(clientKeyHash, nameof(clientKeyHash));
        RequireLength(serverKeyHash, nameof(serverKeyHash));

        Label.CopyTo(destination);
        destination[24] = protocolVersion;
        destination[25] = (byte)clientRole;
        chainId.CopyTo(destination[26..]);
        clientNonce.CopyTo(destination[58..]);
        serverNonce.CopyTo(destination[90..]);
        clientKeyHash.CopyTo(destination[122..]);
        serverKeyHash.CopyTo(destination[154..]);
    }

    private static void RequireLength(ReadOnlySpan<byte> value, string name)
    {
        if (value.Length != 32)
        {
            throw new ArgumentException($"{name} must be 32 bytes.", name);
        }
    }
}
