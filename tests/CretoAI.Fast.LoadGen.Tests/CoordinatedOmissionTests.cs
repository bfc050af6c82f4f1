using CretoAI.Fast.LoadGen.Engine;
using Xunit;

namespace CretoAI.Fast.LoadGen.Tests;

/// <summary>
/// The correction on synthetic latencies with known percentiles: a simulated single-server FIFO
/// queue serves 10,000 requests offered at 1,000/s in 100 µs each, except that request 5,000
/// stalls the server for 1 s. Timestamps are synthetic (1 tick = 1 ns), so nothing here depends on
/// the machine's speed.
/// </summary>
public sealed class CoordinatedOmissionTests
{
    private const long TicksPerSecond = 1_000_000_000;
    private const int Requests = 10_000;
    private const long Service = 100_000; // 100 µs
    private const long Stall = 1_000_000_000; // 1 s
    private const int Stalled = 5_000;

    [Fact]
    public void Open_loop_latency_from_intended_time_charges_the_stall_to_every_request_queued_behind_it()
    {
        var schedule = new OpenLoopSchedule(0, 1000, ticksPerSecond: TicksPerSecond);
        var histogram = LatencyHistograms.Create();
        long completed = 0;
        for (var i = 0; i < Requests; i++)
        {
            var intended = schedule.IntendedAt(i);
            var start = Math.Max(intended, completed);
            completed = start + (i == Stalled ? Stall : Service);
            histogram.RecordValue(completed - intended);
        }

        var summary = StepAggregator.Summarize(histogram);

        // Request 5000+k completes at 6000.1 + 0.1k ms and was intended at 5000 + k ms: latency
        // 1000.1 − 0.9k ms until the queue drains (k = 1111). The 100th largest (p99) is k = 99.
        Assert.Equal(Requests, summary.Count);
        Assert.Equal(100, summary.P50, 0.1);
        Assert.Equal(911_000, summary.P99, 911_000 * 0.001);
        Assert.Equal(1_000_100, summary.Max, 1_000_100 * 0.001);
        Assert.True(summary.P90 > 100, "about 11 % of the requests waited behind the stall, so p90 is above the service time");
    }

    [Fact]
    public void Closed_loop_measurement_of_the_same_stall_hides_it_below_p99_99()
    {
        // A closed-loop client sends the next request only after the reply: it records the stall
        // once and simply sends fewer requests meanwhile (coordinated omission).
        var histogram = LatencyHistograms.Create();
        for (var i = 0; i < Requests; i++)
        {
            histogram.RecordValue(i == Stalled ? Stall : Service);
        }

        var summary = StepAggregator.Summarize(histogram);

        Assert.Equal(100, summary.P99, 0.1);
        Assert.Equal(1_000_000, summary.Max, 1_000_000 * 0.001);
    }

    [Fact]
    public void Schedule_places_request_i_at_start_plus_i_intervals()
    {
        var schedule = new OpenLoopSchedule(5_000, 2_000, ticksPerSecond: TicksPerSecond);

        Assert.Equal(5_000, schedule.IntendedAt(0));
        Assert.Equal(5_000 + 500_000, schedule.IntendedAt(1));
        Assert.Equal(5_000 + (1_000_000L * 500_000), schedule.IntendedAt(1_000_000));
    }

    [Fact]
    public void Workers_sharing_a_rate_interleave_evenly_and_add_up_to_it()
    {
        const int Workers = 4;
        const double Rate = 10_000;
        var times = new List<long>();
        for (var w = 0; w < Workers; w++)
        {
            var schedule = OpenLoopSchedule.ForWorker(0, Rate, w, Workers, TicksPerSecond);
            for (long i = 0; schedule.IntendedAt(i) < TicksPerSecond; i++)
            {
                times.Add(schedule.IntendedAt(i));
            }
        }

        times.Sort();
        Assert.Equal((int)Rate, times.Count);
        for (var i = 1; i < times.Count; i++)
        {
            Assert.InRange(times[i] - times[i - 1], 99_999, 100_001); // 100 µs apart, rounding aside
        }
    }

    [Fact]
    public void Schedule_rejects_a_rate_that_is_not_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OpenLoopSchedule(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OpenLoopSchedule(0, double.NaN));
    }
}
