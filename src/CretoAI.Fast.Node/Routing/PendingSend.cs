using CretoAI.Fast.Net;
using CretoAI.Fast.Routing.Router;
using CretoAI.Fast.Wire.Routing;

namespace CretoAI.Fast.Node.Routing;

/// <summary>A send between its arrival and its one answer: waits for verification, then (as the router's waiter) for the outcome.</summary>
internal sealed class PendingSend(RequestContext context, DeferredReply reply, RouteSendHeader header, RoutedMessage message, ReadOnlyMemory<byte> senderKey)
{
    public RequestContext Context { get; } = context;

    public DeferredReply Reply { get; } = reply;

    public RouteSendHeader Header { get; } = header;

    public RoutedMessage Message { get; } = message;

    public ReadOnlyMemory<byte> SenderKey { get; } = senderKey;

    private int _answered;

    /// <summary>True the first time only.</summary>
    public bool TryClaimAnswer() => Interlocked.Exchange(ref _answered, 1) == 0;
}
