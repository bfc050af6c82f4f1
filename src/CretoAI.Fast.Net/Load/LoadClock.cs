using System.Diagnostics;

namespace CretoAI.Fast.Net.Load;

/// <summary>
/// The shared measurement window of a load run: workers report ready and wait; the runner starts
/// the clock once all of them are running, then releases them together.
/// </summary>
internal sealed class LoadClock
{
    private readonly TaskCompletionSource _allReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _go = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting;

    public LoadClock(int workers) => _waiting = workers;

    /// <summary>Completes when every worker has called <see cref="ReadyAsync"/>.</summary>
    public Task AllReady => _allReady.Task;

    /// <summary>Stopwatch timestamp from which round trips are recorded (after the warm-up).</summary>
    public long MeasureFrom { get; private set; }

    /// <summary>Stopwatch timestamp after which no new request is sent.</summary>
    public long StopAt { get; private set; }

    /// <summary>Called by each worker; returns when the clock has started.</summary>
    public Task ReadyAsync()
    {
        if (Interlocked.Decrement(ref _waiting) == 0)
        {
            _allReady.TrySetResult();
        }

        return _go.Task;
    }

    public void Start(TimeSpan warmup, TimeSpan duration)
    {
        var now = Stopwatch.GetTimestamp();
        MeasureFrom = now + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        StopAt = MeasureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        _go.TrySetResult();
    }
}
