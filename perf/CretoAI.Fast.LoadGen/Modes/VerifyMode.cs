using System.Diagnostics;
using CretoAI.Fast.LoadGen.Engine;

namespace CretoAI.Fast.LoadGen.Modes;

/// <summary>
/// <c>verify</c>: the signature batch verifier in-process. Each worker is a thread; a request is one
/// batch of <see cref="LoadPlan.Depth"/> signatures; it succeeds when every signature in it verifies.
/// Open loop follows the same <see cref="OpenLoopSchedule"/> as the network modes (rates are batches
/// per second over all workers), so a slow batch is charged to the batches queued behind it.
/// </summary>
internal sealed class VerifyMode : ILoadMode
{
    private readonly LoadPlan _plan;
    private readonly SignatureBatchVerifier _verifier;
    private SignedMessageSet? _set;

    public VerifyMode(LoadPlan plan, SignatureBatchVerifier? verifier = null)
    {
        _plan = plan;
        _verifier = verifier ?? SignatureBatchVerifier.CreateDefault();
    }

    public string Name => "verify";

    public int Workers => _plan.Connections;

    public int ItemsPerRequest => _plan.Depth;

    public string Target => $"in-process {_verifier.Description}";

    public Task OpenAsync(CancellationToken cancellationToken)
    {
        var count = Math.Clamp(_plan.Depth * 2, 16, 256);
        _set = SignedMessageSet.Create(count, keys: 4, Math.Max(1, _plan.PayloadBytes));
        return Task.CompletedTask;
    }

    public async Task RunStepAsync(StepStart start, IReadOnlyList<WorkerStats> stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(stats);
        var set = _set ?? throw new InvalidOperationException("OpenAsync was not called.");
        var workers = new Task[Workers];
        for (var i = 0; i < workers.Length; i++)
        {
            var worker = i;
            workers[i] = Task.Factory.StartNew(
                () => RunWorker(start, worker, set, stats[worker], cancellationToken),
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void RunWorker(StepStart start, int worker, SignedMessageSet set, WorkerStats stats, CancellationToken cancellationToken)
    {
        // One unmeasured batch first, so first-use costs (JIT of the ML-DSA-87 verifier, its key
        // cache) are paid before the clock starts. A dedicated thread: blocking until the last
        // worker starts the clock costs nothing.
        try
        {
            _verifier.VerifyBatch(set, worker * _plan.Depth % set.Count, _plan.Depth);
        }
        finally
        {
            // Even if priming threw, this worker counts towards starting the clock, or the others wait forever.
            _ = start.ReadyAsync();
        }

        var window = start.Started.GetAwaiter().GetResult();
        var nanosPerTick = 1e9 / Stopwatch.Frequency;
        var batch = window.Depth;
        var schedule = window.Rate is { } rate ? OpenLoopSchedule.ForWorker(window.Start, rate, worker, Workers) : default;
        var next = worker * batch;
        for (long i = 0; ; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = Stopwatch.GetTimestamp();
            long intended;
            if (window.IsOpenLoop)
            {
                intended = schedule.IntendedAt(i);
                if (intended >= window.StopAt)
                {
                    return;
                }

                if (intended > now)
                {
                    Thread.Sleep(Math.Max(1, (int)Math.Ceiling((intended - now) * 1000.0 / Stopwatch.Frequency)));
                    now = Stopwatch.GetTimestamp();
                }
            }
            else
            {
                if (now >= window.StopAt)
                {
                    return;
                }

                intended = now;
            }

            var measured = window.IsMeasured(intended);
            if (measured)
            {
                stats.CountSent();
            }

            var started = Stopwatch.GetTimestamp();
            var valid = _verifier.VerifyBatch(set, next, batch);
            var done = Stopwatch.GetTimestamp();
            next = (next + batch) % set.Count;
            if (!measured)
            {
                continue;
            }

            if (valid == batch)
            {
                stats.CountSucceeded();
                stats.Corrected.RecordValue(LatencyHistograms.Clamp((long)((done - intended) * nanosPerTick)));
                if (window.IsOpenLoop)
                {
                    stats.Service.RecordValue(LatencyHistograms.Clamp((long)((done - started) * nanosPerTick)));
                }
            }
            else
            {
                stats.CountFailed();
            }
        }
    }
}
