using System.Diagnostics;
using HdrHistogram;

namespace CretoAI.Fast.LoadGen.Engine;

/// <summary>
/// Collects the workers' interval histograms while a step runs: each harvest moves what was recorded
/// since the last one into the step totals and into a fresh window for the live view. Only one
/// thread (the runner) harvests.
/// </summary>
internal sealed class StepAggregator
{
    private readonly IReadOnlyList<WorkerStats> _workers;
    private readonly LongHistogram _interval = LatencyHistograms.Create();
    private long _lastSucceeded;
    private long _lastHarvest;

    public StepAggregator(IReadOnlyList<WorkerStats> workers)
    {
        _workers = workers;
        _lastHarvest = Stopwatch.GetTimestamp();
    }

    public LongHistogram Corrected { get; } = LatencyHistograms.Create();

    public LongHistogram Service { get; } = LatencyHistograms.Create();

    /// <summary>Corrected latency recorded since the previous harvest.</summary>
    public LongHistogram Window { get; } = LatencyHistograms.Create();

    /// <summary>Succeeded requests per second since the previous harvest.</summary>
    public double WindowRate { get; private set; }

    public long Sent => Sum(static w => w.Sent);

    public long Succeeded => Sum(static w => w.Succeeded);

    public long Failed => Sum(static w => w.Failed);

    public void Harvest()
    {
        Window.Reset();
        foreach (var worker in _workers)
        {
            worker.Corrected.GetIntervalHistogramInto(_interval);
            Corrected.Add(_interval);
            Window.Add(_interval);
            worker.Service.GetIntervalHistogramInto(_interval);
            Service.Add(_interval);
        }

        var now = Stopwatch.GetTimestamp();
        var succeeded = Succeeded;
        var seconds = (double)(now - _lastHarvest) / Stopwatch.Frequency;
        WindowRate = seconds > 0 ? (succeeded - _lastSucceeded) / seconds : 0;
        _lastSucceeded = succeeded;
        _lastHarvest = now;
    }

    /// <summary>Failed requests by reason, most frequent first; null when no worker gave reasons.</summary>
    public IReadOnlyList<FailureCount>? FailureReasons()
    {
        var reasons = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var worker in _workers)
        {
            worker.AddReasonsTo(reasons);
        }

        if (reasons.Count == 0)
        {
            return null;
        }

        var list = new List<FailureCount>(reasons.Count);
        foreach (var (reason, count) in reasons)
        {
            list.Add(new FailureCount(reason, count));
        }

        list.Sort(static (a, b) => b.Count != a.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Reason, b.Reason));
        return list;
    }

    public static LatencySummary Summarize(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (histogram.TotalCount == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0, []);
        }

        var points = new List<PercentilePoint>();
        foreach (var value in histogram.Percentiles(5))
        {
            points.Add(new PercentilePoint(value.PercentileLevelIteratedTo, Micros(value.ValueIteratedTo)));
            if (value.PercentileLevelIteratedTo >= 100)
            {
                break;
            }
        }

        return new LatencySummary(
            histogram.TotalCount,
            histogram.GetMean() / 1000.0,
            Micros(histogram.GetValueAtPercentile(50)),
            Micros(histogram.GetValueAtPercentile(90)),
            Micros(histogram.GetValueAtPercentile(99)),
            Micros(histogram.GetValueAtPercentile(99.9)),
            Micros(histogram.GetValueAtPercentile(99.99)),
            Micros(histogram.GetMaxValue()),
            points);
    }

    private static double Micros(long nanos) => nanos / 1000.0;

    private long Sum(Func<WorkerStats, long> counter)
    {
        long total = 0;
        foreach (var worker in _workers)
        {
            total += counter(worker);
        }

        return total;
    }
}
