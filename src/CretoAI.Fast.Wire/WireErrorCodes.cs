namespace CretoAI.Fast.Wire;

/// <summary>Descriptions and connection-handling rules for <see cref="WireErrorCode"/>.</summary>
public static class WireErrorCodes
{
    /// <summary>
    /// True when, after reporting the error, the connection must be closed: framing errors (the
    /// stream is no longer aligned), handshake failures and session-level limits. False for errors
    /// about one request whose frame was otherwise well formed.
    /// </summary>
    public static bool ClosesConnection(WireErrorCode code) => code switch
    {
        WireErrorCode.UnknownMessageType or WireErrorCode.TooManyInFlight => false,
        WireErrorCode.PayloadTooShort or WireErrorCode.TrailingBytes => false,
        WireErrorCode.MalformedPayload or WireErrorCode.FieldTooLarge => false,
        WireErrorCode.NotFound or WireErrorCode.Cancelled or WireErrorCode.SlowConsumer or WireErrorCode.Replaced => false,
        _ => true,
    };

    /// <summary>A one-line English description, used in error frames and logs.</summary>
    public static string Describe(WireErrorCode code) => code switch
    {
        WireErrorCode.None => "no error",
        WireErrorCode.BadMagic => "frame does not start with the protocol magic",
        WireErrorCode.UnsupportedVersion => "frame header version is not supported",
        WireErrorCode.FrameTooLarge => "declared payload length exceeds the limit",
        WireErrorCode.ChecksumMismatch => "CRC32C of header and payload does not match",
        WireErrorCode.TruncatedFrame => "stream ended in the middle of a frame",
        WireErrorCode.ReservedFlags => "reserved flag bits are set",
        WireErrorCode.ReservedHeaderBits => "reserved header field is not zero",
        WireErrorCode.UnknownMessageType => "message type is not defined by this protocol version",
        WireErrorCode.PayloadTooShort => "payload is shorter than its layout requires",
        WireErrorCode.TrailingBytes => "payload has bytes after its last field",
        WireErrorCode.MalformedPayload => "payload does not follow its layout",
        WireErrorCode.FieldTooLarge => "a payload field exceeds its limit",
        WireErrorCode.UnexpectedMessage => "message type is not valid in this state",
        WireErrorCode.NotFound => "the requested item does not exist on this node",
        WireErrorCode.Cancelled => "the requester cancelled the request",
        WireErrorCode.Replaced => "the agent logged in again on another connection",
        WireErrorCode.HandshakeRequired => "the handshake must complete before other messages",
        WireErrorCode.HandshakeTimeout => "the handshake did not complete in time",
        WireErrorCode.ChainIdMismatch => "peer is on a different chain",
        WireErrorCode.BadSignature => "transcript signature does not verify",
        WireErrorCode.PeerNotAuthorized => "peer identity is not allowed on this endpoint",
        WireErrorCode.BadPublicKey => "public key has the wrong length or encoding",
        WireErrorCode.ProtocolVersionMismatch => "no protocol version in common",
        WireErrorCode.TooManyConnections => "server connection limit reached",
        WireErrorCode.TooManyInFlight => "too many requests in flight on this connection",
        WireErrorCode.IdleTimeout => "connection idle for too long",
        WireErrorCode.ShuttingDown => "server is shutting down",
        WireErrorCode.SlowConsumer => "subscriber fell too far behind; its stream ended",
        WireErrorCode.InternalError => "internal error",
        _ => "unknown error code",
    };
}
