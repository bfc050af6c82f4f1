using System.Threading.Tasks.Sources;

namespace CretoAI.Fast.LoadGen.Engine;

/// <summary>
/// Wakes an open-loop sender that waits for a free slot (Depth requests outstanding) on the very
/// thread that freed it: the receiver's read continuation. A SemaphoreSlim would queue the sender's
/// continuation to the thread pool, and on a busy 2-core machine that hop took milliseconds per
/// batch, enough to make the sender fall behind its schedule. One waiter at a time (the sender),
/// one setter (the receiver); allocation-free.
/// </summary>
internal sealed class CreditSignal : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = false };
    private int _waiting;

    /// <summary>
    /// Called by the sender after it saw no free slot: returns a completed task if
    /// <paramref name="stillBlocked"/> turns false in the meantime, else a task the receiver completes.
    /// </summary>
    public ValueTask WaitAsync(Func<bool> stillBlocked)
    {
        _core.Reset();
        Volatile.Write(ref _waiting, 1);
        if (!stillBlocked() && Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            return ValueTask.CompletedTask;
        }

        // Either still blocked, or the receiver already took the flag and will call Set.
        return new ValueTask(this, _core.Version);
    }

    /// <summary>Called by the receiver after freeing slots (or when the step ends): wakes the sender if it waits.</summary>
    public void Set()
    {
        if (Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            _core.SetResult(true);
        }
    }

    public void GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
