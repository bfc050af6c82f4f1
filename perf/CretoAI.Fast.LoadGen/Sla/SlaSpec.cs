namespace CretoAI.Fast.LoadGen.Sla;

/// <summary>A latency limit: at <see cref="Percentile"/> (0..100] the latency must not exceed <see cref="MaxMicros"/>.</summary>
public sealed record LatencyLimit(string Label, double Percentile, double MaxMicros);

/// <summary>A validated SLA: latency limits by percentile (ascending), optional throughput floor and error-rate ceiling.</summary>
public sealed record SlaSpec(string Name, IReadOnlyList<LatencyLimit> Latency, double? MinThroughput, double? MaxErrorRate);
