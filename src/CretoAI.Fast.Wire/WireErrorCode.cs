namespace CretoAI.Fast.Wire;

/// <summary>
/// Numeric error codes carried by <see cref="MessageType.Error"/> frames and returned by the codec.
/// Values are part of the wire contract (docs/protocol.md). 1–99: framing; 100–199: handshake;
/// 200–299: session and limits.
/// </summary>
public enum WireErrorCode : ushort
{
    None = 0,

    // Framing: the connection is closed after the error frame, because the byte stream can no
    // longer be trusted to be aligned on frame boundaries.
    BadMagic = 1,
    UnsupportedVersion = 2,
    FrameTooLarge = 3,
    ChecksumMismatch = 4,
    TruncatedFrame = 5,
    ReservedFlags = 6,
    ReservedHeaderBits = 7,

    // Payload: the frame was well delimited, its content was not.
    UnknownMessageType = 20,
    PayloadTooShort = 21,
    TrailingBytes = 22,
    MalformedPayload = 23,
    FieldTooLarge = 24,
    UnexpectedMessage = 25,

    /// <summary>The requested item (a block height, say) does not exist on this node.</summary>
    NotFound = 26,

    /// <summary>The requester no longer wants the answer; sent by a client to end a subscription (correlation id of the Subscribe).</summary>
    Cancelled = 27,

    /// <summary>The agent logged in again on another connection; the delivery stream of this login ended (correlation id of the AgentLogin).</summary>
    Replaced = 28,

    // Handshake.
    HandshakeRequired = 100,
    HandshakeTimeout = 101,
    ChainIdMismatch = 102,
    BadSignature = 103,
    PeerNotAuthorized = 104,
    BadPublicKey = 105,
    ProtocolVersionMismatch = 106,

    // Session and limits.
    TooManyConnections = 200,
    TooManyInFlight = 201,
    IdleTimeout = 202,
    ShuttingDown = 203,

    /// <summary>A subscriber fell too far behind its stream; the stream (not the connection) ended. Resubscribe from the next height.</summary>
    SlowConsumer = 204,
    InternalError = 299,
}
