namespace CretoAI.Fast.Wire.Handshake;

/// <summary>What the connecting side claims to be; bound into the signed transcript.</summary>
public enum PeerRole : byte
{
    /// <summary>A client: an agent, an operator tool or the load generator.</summary>
    Client = 0,

    /// <summary>Another validator opening a consensus link.</summary>
    Validator = 1,
}
