using System.Diagnostics;

namespace CretoAI.Fast.LoadGen.Engine;

/// <summary>
/// Timing of one step, in Stopwatch ticks: load starts at <see cref="Start"/>, requests intended (or
/// sent, in closed loop) from <see cref="MeasureFrom"/> on are measured, none is sent after
/// <see cref="StopAt"/>, and replies still missing <see cref="Drain"/> after that count as failed.
/// </summary>
internal sealed record StepWindow(long Start, long MeasureFrom, long StopAt, TimeSpan Drain, double? Rate, int Depth)
{
    public static StepWindow StartingNow(TimeSpan warmup, TimeSpan duration, TimeSpan drain, double? rate, int depth)
    {
        var now = Stopwatch.GetTimestamp();
        var from = now + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        return new StepWindow(now, from, from + (long)(duration.TotalSeconds * Stopwatch.Frequency), drain, rate, depth);
    }

    public bool IsOpenLoop => Rate is not null;

    public TimeSpan Measured => TimeSpan.FromSeconds((double)(StopAt - MeasureFrom) / Stopwatch.Frequency);

    public bool IsMeasured(long ticks) => ticks >= MeasureFrom && ticks < StopAt;
}
