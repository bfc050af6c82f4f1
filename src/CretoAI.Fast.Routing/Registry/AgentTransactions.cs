using System.Buffers.Binary;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Routing.Registry;

/// <summary>
/// Builds signed agent transactions (and application payloads) in the <see cref="SignedTransaction"/>
/// envelope. Every one carries the sender's account nonce: the ledger's last applied nonce for the key
/// (<see cref="Reputation.Ledger.ValidatorLedger.AccountNonceOf"/>) + 1. The builders lay out what they
/// are given; the registry judges names and tags on the chain.
/// </summary>
public static class AgentTransactions
{
    /// <summary>Registers the signer as an agent with a display name and tags (body: docs/agents.md).</summary>
    /// <exception cref="ArgumentException">A name or tag the body layout cannot hold (over 255 bytes), or over 255 tags.</exception>
    public static byte[] Register(IMessageSigner signer, Hash32 chainId, ulong nonce, string name, IReadOnlyList<string> tags) =>
        Sign(signer, chainId, TransactionKind.AgentRegister, nonce, AgentProfile.Encode(name, tags));

    /// <summary>Replaces the signer's display name and tags.</summary>
    /// <exception cref="ArgumentException">A name or tag the body layout cannot hold (over 255 bytes), or over 255 tags.</exception>
    public static byte[] Update(IMessageSigner signer, Hash32 chainId, ulong nonce, string name, IReadOnlyList<string> tags) =>
        Sign(signer, chainId, TransactionKind.AgentUpdate, nonce, AgentProfile.Encode(name, tags));

    /// <summary>Revokes the signer's registration, for good.</summary>
    public static byte[] Revoke(IMessageSigner signer, Hash32 chainId, ulong nonce) =>
        Sign(signer, chainId, TransactionKind.AgentRevoke, nonce, []);

    /// <summary>
    /// A validator's vote to carry out <paramref name="action"/> on <paramref name="agentId"/>, judging the
    /// record as last changed at <paramref name="lastChangeHeight"/> (<see cref="AgentView.UpdatedAtHeight"/>).
    /// </summary>
    public static byte[] Policy(IMessageSigner signer, Hash32 chainId, ulong nonce, Hash32 agentId, AgentPolicyAction action, ulong lastChangeHeight)
    {
        Span<byte> body = stackalloc byte[AgentRegistry.PolicyBodySize];
        agentId.CopyTo(body);
        body[Hash32.Size] = (byte)action;
        BinaryPrimitives.WriteUInt64LittleEndian(body[(Hash32.Size + 1)..], lastChangeHeight);
        return Sign(signer, chainId, TransactionKind.AgentPolicy, nonce, body);
    }

    /// <summary>An opaque application payload, ordered by the chain.</summary>
    /// <exception cref="ArgumentException"><paramref name="data"/> is over <see cref="SignedTransaction.MaxBodyLength"/> bytes.</exception>
    public static byte[] Payload(IMessageSigner signer, Hash32 chainId, ulong nonce, ReadOnlySpan<byte> data) =>
        Sign(signer, chainId, TransactionKind.Payload, nonce, data);

    /// <summary>The body of a register or update transaction, for clients that build their own envelope.</summary>
    /// <exception cref="ArgumentException">A name or tag the body layout cannot hold (over 255 bytes), or over 255 tags.</exception>
    public static byte[] ProfileBody(string name, IReadOnlyList<string> tags) => AgentProfile.Encode(name, tags);

    private static byte[] Sign(IMessageSigner signer, Hash32 chainId, TransactionKind kind, ulong nonce, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (body.Length > SignedTransaction.MaxBodyLength)
        {
            throw new ArgumentException($"A transaction body is at most {SignedTransaction.MaxBodyLength} bytes, got {body.Length}.", nameof(body));
        }

        var bytes = new byte[SignedTransaction.EncodedLength(body.Length)];
        var signed = SignedTransaction.WriteUnsigned(bytes, kind, nonce, chainId, signer.PublicKey.Span, body);
        signer.Sign(bytes.AsSpan(0, signed), SignedTransaction.SignatureContext, bytes.AsSpan(signed));
        return bytes;
    }
}
