using System.Diagnostics;

namespace CretoAI.Fast.LoadGen.Engine;

/// <summary>
/// The fixed send schedule of one open-loop worker: request i is intended at
/// <c>start + (i + phase) × interval</c>, whatever happened to earlier requests. Latency is measured
/// from this intended time, so a stall of the target (or of the client) is charged to every request
/// that should have been sent during it — the coordinated-omission correction of wrk2 and
/// HdrHistogram. Workers get evenly spread phases so C connections at rate R/C add up to an even
/// rate R rather than C simultaneous bursts.
/// </summary>
internal readonly struct OpenLoopSchedule
{
    private readonly long _start;
    private readonly double _ticksPerRequest;
    private readonly double _phase;

    public OpenLoopSchedule(long startTicks, double requestsPerSecond, double phase = 0, long ticksPerSecond = 0)
    {
        if (!(requestsPerSecond > 0) || double.IsInfinity(requestsPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(requestsPerSecond), requestsPerSecond, "The rate must be positive and finite.");
        }

        _start = startTicks;
        _ticksPerRequest = (ticksPerSecond > 0 ? ticksPerSecond : Stopwatch.Frequency) / requestsPerSecond;
        _phase = phase;
    }

    /// <summary>Time between two requests of this worker, in timestamp ticks.</summary>
    public double TicksPerRequest => _ticksPerRequest;

    /// <summary>Intended send time of request <paramref name="index"/> (0-based).</summary>
    public long IntendedAt(long index) => _start + (long)((index + _phase) * _ticksPerRequest);

    /// <summary>The schedule of worker <paramref name="worker"/> of <paramref name="workers"/> sharing <paramref name="totalRate"/> requests/s.</summary>
    public static OpenLoopSchedule ForWorker(long startTicks, double totalRate, int worker, int workers, long ticksPerSecond = 0) =>
        new(startTicks, totalRate / workers, (double)worker / workers, ticksPerSecond);
}
