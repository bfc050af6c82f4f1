using System.Diagnostics;
using CretoAI.Fast.LoadGen.Modes;

namespace CretoAI.Fast.LoadGen.Engine;

/// <summary>
/// Runs the steps of a plan on an opened mode: one closed-loop step, or one open-loop step per
/// offered rate. While a step runs it harvests the workers' histograms every
/// <see cref="RefreshInterval"/> and hands a <see cref="LiveSnapshot"/> to the live view.
/// </summary>
internal static class LoadRunner
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<IReadOnlyList<StepResult>> RunAsync(LoadPlan plan, ILoadMode mode, Action<LiveSnapshot> live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(mode);
        ArgumentNullException.ThrowIfNull(live);
        IReadOnlyList<double?> rates = plan.IsOpenLoop ? plan.Rates.Select(r => (double?)r).ToList() : [null];
        var results = new List<StepResult>(rates.Count);
        for (var s = 0; s < rates.Count; s++)
        {
            var stats = new WorkerStats[mode.Workers];
            for (var i = 0; i < stats.Length; i++)
            {
                stats[i] = new WorkerStats();
            }

            var aggregator = new StepAggregator(stats);
            var rate = rates[s];

            // The clock starts when the last worker runs, not when the workers are handed to the
            // scheduler: on a busy machine that can be later than the whole window would last.
            var start = new StepStart(mode.Workers, () => StepWindow.StartingNow(plan.Warmup, plan.Duration, plan.Drain, rate, plan.Depth));
            var running = mode.RunStepAsync(start, stats, cancellationToken);
            while (!running.IsCompleted)
            {
                await Task.WhenAny(running, Task.Delay(RefreshInterval, cancellationToken)).ConfigureAwait(false);
                aggregator.Harvest();
                live(Snapshot(s, rates.Count, rate, start.Started.IsCompletedSuccessfully ? start.Started.Result : null, aggregator));
            }

            await running.ConfigureAwait(false);
            var window = start.Started.IsCompletedSuccessfully
                ? start.Started.Result
                : throw new InvalidOperationException($"mode '{mode.Name}' finished a step without starting its {mode.Workers} workers");
            aggregator.Harvest();
            live(Snapshot(s, rates.Count, rate, window, aggregator, done: true));
            var result = ToResult(s + 1, plan, mode, window, aggregator);
            if (result.Sent == 0)
            {
                // An empty step is not a result: its latencies and rates would read as zero, and an
                // SLA on them as met.
                throw new LoadGenException(MeasuredNothing(result, plan));
            }

            results.Add(result);
        }

        return results;
    }

    internal static string MeasuredNothing(StepResult step, LoadPlan plan)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(plan);
        var what = step.OfferedRate is { } rate
            ? FormattableString.Invariant($"no request was due in it at {rate:0.###}/s (raise --rate or --duration)")
            : FormattableString.Invariant($"no request was sent in it: the {step.Connections} workers' requests of the {plan.Warmup.TotalSeconds:0.###} s warm-up were still unanswered when it ended (is {step.Target} overloaded? raise --warmup or --duration)");
        return FormattableString.Invariant($"step {step.Step} measured nothing in its {step.MeasuredSeconds:0.###} s window: {what}");
    }

    internal static StepResult ToResult(int step, LoadPlan plan, ILoadMode mode, StepWindow window, StepAggregator aggregator)
    {
        var seconds = window.Measured.TotalSeconds;
        var sent = aggregator.Sent;
        var failed = aggregator.Failed;
        var succeeded = aggregator.Succeeded;
        return new StepResult(
            step,
            mode.Name,
            mode.Target,
            mode.Workers,
            plan.Depth,
            plan.PayloadBytes,
            mode.ItemsPerRequest,
            window.Rate,
            seconds,
            sent,
            succeeded,
            failed,
            seconds > 0 ? succeeded / seconds : 0,
            sent > 0 ? (double)failed / sent : 0,
            StepAggregator.Summarize(aggregator.Corrected),
            window.IsOpenLoop ? StepAggregator.Summarize(aggregator.Service) : null,
            aggregator.FailureReasons());
    }

    private static LiveSnapshot Snapshot(int step, int steps, double? rate, StepWindow? window, StepAggregator aggregator, bool done = false)
    {
        var now = Stopwatch.GetTimestamp();
        var phase = done ? "done" : window is null ? "starting" : now < window.MeasureFrom ? "warm-up" : now < window.StopAt ? "measuring" : "draining";

        // While running: the last refresh interval; at the end: the whole measured window.
        var histogram = done ? aggregator.Corrected : aggregator.Window;
        var hasData = histogram.TotalCount > 0;
        return new LiveSnapshot(
            step + 1,
            steps,
            rate,
            phase,
            window is null ? TimeSpan.Zero : Stopwatch.GetElapsedTime(window.Start, now),
            done && window is not null ? aggregator.Succeeded / Math.Max(1e-9, window.Measured.TotalSeconds) : aggregator.WindowRate,
            aggregator.Sent,
            aggregator.Succeeded,
            aggregator.Failed,
            hasData ? histogram.GetValueAtPercentile(50) / 1000.0 : 0,
            hasData ? histogram.GetValueAtPercentile(99) / 1000.0 : 0);
    }
}
