namespace CretoAI.Fast.Wire.Handshake;

/// <summary>Handshake step 1 (client → server).</summary>
public sealed record HelloMessage(byte ProtocolVersion, ReadOnlyMemory<byte> ChainId, ReadOnlyMemory<byte> PublicKey, ReadOnlyMemory<byte> Nonce, PeerRole Role);
