namespace CretoAI.Fast.Wire.Handshake;

/// <summary>Handshake step 2 (server → client): the server's identity and its signature over the transcript.</summary>
public sealed record WelcomeMessage(byte ProtocolVersion, ReadOnlyMemory<byte> ChainId, ReadOnlyMemory<byte> PublicKey, ReadOnlyMemory<byte> Nonce, ReadOnlyMemory<byte> Signature);
