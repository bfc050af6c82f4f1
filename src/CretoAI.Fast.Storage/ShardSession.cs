using Session = FASTER.core.ClientSession<FASTER.core.SpanByte, FASTER.core.SpanByte, CretoAI.Fast.Storage.ShardInput, CretoAI.Fast.Storage.ShardOutput, FASTER.core.Empty, CretoAI.Fast.Storage.ShardFunctions>;

namespace CretoAI.Fast.Storage;

/// <summary>
/// One FASTER session of a shard plus who may use it. A thread-bound session belongs to one thread for the
/// store's lifetime (like Garnet's session per connection): that thread uses it without touching any shared
/// state, which is what makes reads scale across cores. <see cref="Busy"/> is only read and written by the
/// owning thread and guards re-entrant use (a callback of an operation calling back into the store), which
/// then falls back to the shared pool instead of using the same single-threaded session twice.
/// </summary>
internal sealed class ShardSession
{
    public ShardSession(Session? session, Thread? owner)
    {
        Session = session;
        Owner = owner;
    }

    /// <summary>The FASTER session; null for a thread that got no bound session (the per-shard cap was reached).</summary>
    public Session? Session { get; set; }

    /// <summary>Owning thread of a thread-bound session; null for a pooled one.</summary>
    public Thread? Owner { get; }

    public bool IsThreadBound => Owner is not null;

    /// <summary>Set while the owning thread is inside an operation with this session.</summary>
    public bool Busy { get; set; }
}
