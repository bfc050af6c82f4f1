using HdrHistogram;

namespace CretoAI.Fast.Cli.Cluster;

/// <summary>
/// Submit-to-commit latencies (the time from submitting a transaction to receiving the commit
/// notice that lists it) in a fixed-size HdrHistogram: microsecond resolution, 3 significant
/// digits, up to one hour; memory does not grow with the run. Safe from many threads.
/// </summary>
internal sealed class CommitLatencies
{
    private const long HighestMicros = 3_600_000_000;

    private readonly LongHistogram _histogram = new(HighestMicros, 3);
    private readonly Lock _lock = new();

    public long Count
    {
        get
        {
            lock (_lock)
            {
                return _histogram.TotalCount;
            }
        }
    }

    public void Record(TimeSpan latency)
    {
        var micros = Math.Clamp((long)latency.TotalMicroseconds, 1, HighestMicros);
        lock (_lock)
        {
            _histogram.RecordValue(micros);
        }
    }

    /// <summary>The latency at <paramref name="percentile"/> (0–100) in milliseconds; null when nothing was recorded.</summary>
    public double? PercentileMs(double percentile)
    {
        lock (_lock)
        {
            return _histogram.TotalCount == 0 ? null : _histogram.GetValueAtPercentile(percentile) / 1000.0;
        }
    }
}
