namespace CretoAI.Fast.Wire.Handshake;

/// <summary>Handshake step 4 (server → client): the session is open; these are the server's limits for it.</summary>
public sealed record ReadyMessage(int MaxPayloadLength, int MaxInFlight, int IdleTimeoutMilliseconds);
