namespace CretoAI.Fast.LoadGen.Engine;

/// <summary>What the live view shows, taken a few times per second while a step runs.</summary>
internal sealed record LiveSnapshot(
    int Step,
    int Steps,
    double? OfferedRate,
    string Phase,
    TimeSpan Elapsed,
    double Rate,
    long Sent,
    long Succeeded,
    long Failed,
    double P50Micros,
    double P99Micros);
