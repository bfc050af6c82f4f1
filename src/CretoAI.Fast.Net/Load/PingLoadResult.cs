using System.Globalization;

namespace CretoAI.Fast.Net.Load;

/// <summary>
/// What a <see cref="PingLoad"/> run measured. Latencies are round-trip times in microseconds;
/// <see cref="AllocatedBytesPerRoundTrip"/> is this process's managed allocation per completed round trip.
/// </summary>
public sealed record PingLoadResult(
    int Connections,
    int Depth,
    int PayloadBytes,
    TimeSpan Measured,
    long RoundTrips,
    long Errors,
    double P50Micros,
    double P90Micros,
    double P99Micros,
    double P999Micros,
    double MaxMicros,
    double AllocatedBytesPerRoundTrip)
{
    public double RoundTripsPerSecond => Measured > TimeSpan.Zero ? RoundTrips / Measured.TotalSeconds : 0;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"conns={Connections} depth={Depth} payload={PayloadBytes}B rtt/s={RoundTripsPerSecond:0} p50={P50Micros:0.0}us p90={P90Micros:0.0}us p99={P99Micros:0.0}us p99.9={P999Micros:0.0}us max={MaxMicros:0.0}us alloc/rtt={AllocatedBytesPerRoundTrip:0.0}B errors={Errors}");
}
