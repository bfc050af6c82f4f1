using CretoAI.Fast.LoadGen.Engine;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.LoadGen.Tests;

public sealed class AggregatorTests
{
    [Fact]
    public void Harvest_moves_recorded_latencies_into_the_totals_with_known_percentiles()
    {
        var workers = new[] { new WorkerStats(), new WorkerStats() };
        for (var us = 1; us <= 1000; us++)
        {
            // Odd values on one worker, even on the other: the totals must merge them.
            workers[us % 2].Corrected.RecordValue(us * 1000L);
        }

        var aggregator = new StepAggregator(workers);
        aggregator.Harvest();
        var summary = StepAggregator.Summarize(aggregator.Corrected);

        Assert.Equal(1000, summary.Count);
        Assert.Equal(500, summary.P50, 0.5);
        Assert.Equal(900, summary.P90, 0.9);
        Assert.Equal(990, summary.P99, 1.0);
        Assert.Equal(1000, summary.Max, 1.0);
        Assert.Equal(1000, aggregator.Window.TotalCount);
        Assert.Equal(summary.P99, summary.AtPercentile(99));
        Assert.Equal(summary.P999, summary.AtPercentile(99.9));
        Assert.Equal(summary.Max, summary.AtPercentile(100));

        // A second harvest with nothing new: totals stay, the live window is empty.
        aggregator.Harvest();
        Assert.Equal(1000, aggregator.Corrected.TotalCount);
        Assert.Equal(0, aggregator.Window.TotalCount);
    }

    [Fact]
    public void Percentile_distribution_is_ascending_and_ends_at_the_maximum() =>
        Gen.Long[1, 10_000_000].Array[1, 500].Sample(values =>
        {
            var histogram = LatencyHistograms.Create();
            foreach (var v in values)
            {
                histogram.RecordValue(v);
            }

            var summary = StepAggregator.Summarize(histogram);
            for (var i = 1; i < summary.Distribution.Count; i++)
            {
                Assert.True(summary.Distribution[i].Percentile >= summary.Distribution[i - 1].Percentile);
                Assert.True(summary.Distribution[i].Micros >= summary.Distribution[i - 1].Micros);
            }

            Assert.Equal(summary.Max, summary.Distribution[^1].Micros, summary.Max * 0.001);
            Assert.Equal(summary.Max, summary.AtPercentile(100), summary.Max * 0.001);
        });

    [Fact]
    public void Latencies_outside_the_trackable_range_are_clamped_not_thrown()
    {
        Assert.Equal(1, LatencyHistograms.Clamp(-5));
        Assert.Equal(LatencyHistograms.HighestTrackableNanos, LatencyHistograms.Clamp(long.MaxValue));
        LatencyHistograms.Create().RecordValue(LatencyHistograms.Clamp(long.MaxValue));
    }
}
