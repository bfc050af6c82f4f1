using HdrHistogram;

namespace CretoAI.Fast.LoadGen.Engine;

/// <summary>The one histogram shape used everywhere: nanoseconds, 1 ns to 60 s, 3 significant digits.</summary>
internal static class LatencyHistograms
{
    public const long HighestTrackableNanos = 60L * 1_000_000_000;

    public static LongHistogram Create() => new(1, HighestTrackableNanos, 3);

    /// <summary>A recorder one thread writes to while another takes interval snapshots (the live view).</summary>
    public static Recorder CreateRecorder() =>
        new(1, HighestTrackableNanos, 3, (id, lowest, highest, digits) => new LongHistogram(id, lowest, highest, digits));

    /// <summary>Clamps a latency into the trackable range (a 2-minute stall is reported as 60 s, not a crash).</summary>
    public static long Clamp(long nanos) => nanos < 1 ? 1 : nanos > HighestTrackableNanos ? HighestTrackableNanos : nanos;
}
