namespace CretoAI.Fast.LoadGen.Engine;

/// <summary>
/// Starts a step's clock only once every worker is running. Each worker calls
/// <see cref="ReadyAsync"/> first thing; the last one to arrive fixes the <see cref="StepWindow"/>
/// (warm-up, measured window, stop) at that instant and releases the others. Fixing the window
/// before the workers were scheduled let a busy machine start them after the window had already
/// closed, and the step then silently measured nothing.
/// </summary>
internal sealed class StepStart
{
    // Continuations run inline on the releasing worker's thread (no RunContinuationsAsynchronously):
    // a released worker must not wait for the thread pool again once the clock is running. Each
    // continuation only puts its first requests out and returns at its first pending read or delay.
    private readonly TaskCompletionSource<StepWindow> _started = new();
    private readonly Func<StepWindow> _startWindow;
    private int _waiting;

    public StepStart(int workers, Func<StepWindow> startWindow)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        ArgumentNullException.ThrowIfNull(startWindow);
        _waiting = workers;
        _startWindow = startWindow;
    }

    /// <summary>Completes with the window once every worker has called <see cref="ReadyAsync"/>.</summary>
    public Task<StepWindow> Started => _started.Task;

    /// <summary>Called once by each worker before it sends anything; completes when the clock has started.</summary>
    public Task<StepWindow> ReadyAsync()
    {
        if (Interlocked.Decrement(ref _waiting) == 0)
        {
            _started.TrySetResult(_startWindow());
        }

        return _started.Task;
    }
}
