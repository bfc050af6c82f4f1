namespace CretoAI.Fast.LoadGen.Engine;

/// <summary>One percentile of a latency distribution, in microseconds.</summary>
public sealed record PercentilePoint(double Percentile, double Micros);

/// <summary>How many requests of a step failed for one reason.</summary>
public sealed record FailureCount(string Reason, long Count);

/// <summary>Latency summary of one step, microseconds.</summary>
public sealed record LatencySummary(
    long Count,
    double Mean,
    double P50,
    double P90,
    double P99,
    double P999,
    double P9999,
    double Max,
    IReadOnlyList<PercentilePoint> Distribution)
{
    /// <summary>
    /// Latency at a percentile: the exact HdrHistogram value for the summarised levels (50, 90, 99,
    /// 99.9, 99.99, 100), else from the distribution (the nearest recorded level at or above).
    /// </summary>
    public double AtPercentile(double percentile)
    {
        switch (percentile)
        {
            case 50: return P50;
            case 90: return P90;
            case 99: return P99;
            case 99.9: return P999;
            case 99.99: return P9999;
            case >= 100: return Max;
        }

        foreach (var point in Distribution)
        {
            if (point.Percentile >= percentile)
            {
                return point.Micros;
            }
        }

        return Max;
    }
}

/// <summary>
/// What one step measured. Counts cover requests intended (open loop) or sent (closed loop) inside
/// the measured window; <c>Sent = Succeeded + Failed</c> always holds once the step has drained.
/// <see cref="Latency"/> is from the intended send time (coordinated-omission corrected) in open
/// loop and from the send time in closed loop; <see cref="ServiceLatency"/> (open loop only) is from
/// the actual send time, for comparison. <see cref="Failures"/> breaks <see cref="Failed"/> down by
/// reason where the mode says why (tx: refused by the node, committed but not applied, timeout).
/// </summary>
public sealed record StepResult(
    int Step,
    string Mode,
    string Target,
    int Connections,
    int Depth,
    int PayloadBytes,
    int ItemsPerRequest,
    double? OfferedRate,
    double MeasuredSeconds,
    long Sent,
    long Succeeded,
    long Failed,
    double AchievedRate,
    double ErrorRate,
    LatencySummary Latency,
    LatencySummary? ServiceLatency,
    IReadOnlyList<FailureCount>? Failures = null)
{
    public string Loop => OfferedRate is null ? "closed" : "open";

    /// <summary>One line for scripts (perf/compare-redis.sh reads it).</summary>
    public string ToSummaryLine() => FormattableString.Invariant(
        $"result step={Step} mode={Mode} conns={Connections} depth={Depth} payload={PayloadBytes}B rate={(OfferedRate is { } r ? r.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : "closed")} achieved={AchievedRate:0.0}/s sent={Sent} ok={Succeeded} failed={Failed} p50={Latency.P50:0.0}us p90={Latency.P90:0.0}us p99={Latency.P99:0.0}us p99.9={Latency.P999:0.0}us max={Latency.Max:0.0}us");

    /// <summary>The failure reasons on one line (<c>failures step=1 "refused: busy"=3 timeout=1</c>), or null when there are none.</summary>
    public string? ToFailuresLine() => Failures is { Count: > 0 } failures
        ? FormattableString.Invariant($"failures step={Step} {string.Join(' ', failures.Select(f => f.Reason.Contains(' ', StringComparison.Ordinal) ? $"\"{f.Reason}\"={f.Count}" : $"{f.Reason}={f.Count}"))}")
        : null;
}
