namespace CretoAI.Fast.Wire;

/// <summary>Protocol-wide bounds. Each is stated in docs/protocol.md.</summary>
public static class WireLimits
{
    /// <summary>No implementation may accept a payload above 16 MiB, whatever it is configured to.</summary>
    public const int AbsoluteMaxPayloadLength = 16 * 1024 * 1024;

    /// <summary>Default payload limit: 1 MiB.</summary>
    public const int DefaultMaxPayloadLength = 1024 * 1024;

    /// <summary>Longest UTF-8 message in an <see cref="MessageType.Error"/> payload.</summary>
    public const int MaxErrorMessageBytes = 512;

    /// <summary>Largest public key accepted in a handshake field (ML-DSA-87 keys are 2,592 bytes).</summary>
    public const int MaxPublicKeyBytes = 4096;

    /// <summary>Largest signature accepted in a handshake field (ML-DSA-87 signatures are 4,627 bytes).</summary>
    public const int MaxSignatureBytes = 8192;

    /// <summary>Nonces and chain ids are exactly 32 bytes.</summary>
    public const int NonceBytes = 32;

    /// <summary>Most MessagePack array elements a handshake payload may carry (known fields plus future ones).</summary>
    public const int MaxHandshakeFields = 16;

    /// <summary>Largest handshake payload: one key, one signature and small fields.</summary>
    public const int MaxHandshakePayloadLength = 16 * 1024;
}
