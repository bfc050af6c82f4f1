namespace CretoAI.Fast.LoadGen.Sla;

/// <summary>The SLA file as written (JSON); <see cref="SlaParser"/> turns it into a checked <see cref="SlaSpec"/>.</summary>
public sealed class SlaDocument
{
    public string? Name { get; set; }

    /// <summary>Percentile ("p50", "p99.9", "max") to maximum latency ("250us", "2ms", "1.5s").</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "MA0016:Prefer using collection abstraction instead of implementation", Justification = "Concrete type for the JSON source generator.")]
    public Dictionary<string, string>? Latency { get; set; }

    /// <summary>Least acceptable rate of succeeded requests per second.</summary>
    public double? MinThroughput { get; set; }

    /// <summary>Largest acceptable failed/sent ratio, 0..1.</summary>
    public double? MaxErrorRate { get; set; }
}
