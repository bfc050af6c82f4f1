namespace CretoAI.Fast.Wire.Handshake;

/// <summary>Handshake step 3 (client → server): the client's signature over the transcript.</summary>
public sealed record AuthenticateMessage(ReadOnlyMemory<byte> Signature);
