namespace CretoAI.Fast.Routing.Router;

/// <summary>Monotonic counts of what the router did, for metrics. Thread-safe.</summary>
public sealed class RouterCounters
{
    private readonly long[] _answered = new long[byte.MaxValue + 1];
    private long _routed;
    private long _forwarded;
    private long _delivered;
    private long _redelivered;

    /// <summary>Messages accepted into a mailbox of this node (from local senders, forwards and fan-outs).</summary>
    public long Routed => Interlocked.Read(ref _routed);

    /// <summary>Messages (and fan-outs) sent to another node, retries included.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Messages acknowledged by a recipient logged in here.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Messages handed to a recipient or node again after no acknowledgement came.</summary>
    public long Redelivered => Interlocked.Read(ref _redelivered);

    /// <summary>Sends answered with <paramref name="status"/> (refusals by reason; Delivered and FannedOut are successes).</summary>
    public long Answered(RouteStatus status) => Interlocked.Read(ref _answered[(byte)status]);

    internal void CountRouted() => Interlocked.Increment(ref _routed);

    internal void CountForwarded() => Interlocked.Increment(ref _forwarded);

    internal void CountDelivered() => Interlocked.Increment(ref _delivered);

    internal void CountRedelivered() => Interlocked.Increment(ref _redelivered);

    /// <summary>Counts one answer to a sender (the transport calls it for the refusals it decides itself).</summary>
    public void CountAnswer(RouteStatus status) => Interlocked.Increment(ref _answered[(byte)status]);
}
