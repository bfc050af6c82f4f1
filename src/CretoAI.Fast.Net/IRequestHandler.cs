using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Net;

/// <summary>
/// The application's entry point for session frames the transport does not answer itself (it
/// answers Ping, and handles Error and the handshake types). Called on the connection's read loop,
/// once per frame, in arrival order; it must not block. A reply is written with
/// <see cref="RequestContext.Reply"/> at once, or later through a deferred reply
/// (<see cref="RequestContext.TryDefer"/>) when the answer needs work off the read loop.
/// </summary>
public interface IRequestHandler
{
    /// <summary>Returns false when <paramref name="frame"/>'s type is not one this handler serves; the peer then gets UnknownMessageType.</summary>
    bool TryHandle(RequestContext context, in Frame frame);
}
