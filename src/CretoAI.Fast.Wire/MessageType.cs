namespace CretoAI.Fast.Wire;

/// <summary>
/// The registry of frame message types (header bytes 4–5, little-endian). The numeric values are
/// part of the wire contract in docs/protocol.md and never change meaning once assigned.
/// </summary>
public enum MessageType : ushort
{
    /// <summary>Reserved; a frame with type 0 is rejected as <see cref="WireErrorCode.UnknownMessageType"/>.</summary>
    None = 0x0000,

    /// <summary>Handshake step 1, client to server (MessagePack).</summary>
    Hello = 0x0001,

    /// <summary>Handshake step 2, server to client, carries the server's transcript signature (MessagePack).</summary>
    Welcome = 0x0002,

    /// <summary>Handshake step 3, client to server, carries the client's transcript signature (MessagePack).</summary>
    Authenticate = 0x0003,

    /// <summary>Handshake step 4, server to client: the session is open, with the server's limits (MessagePack).</summary>
    Ready = 0x0004,

    /// <summary>An error report: fixed layout (code, message). Sent before a connection is closed, or as a reply.</summary>
    Error = 0x000F,

    /// <summary>Round-trip probe: opaque payload, answered by <see cref="Pong"/> with the same payload.</summary>
    Ping = 0x0010,

    /// <summary>Reply to <see cref="Ping"/>: the same payload and correlation id, with the Response flag.</summary>
    Pong = 0x0011,
}
