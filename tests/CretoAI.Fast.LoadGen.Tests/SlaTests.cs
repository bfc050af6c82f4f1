using CretoAI.Fast.LoadGen.Engine;
using CretoAI.Fast.LoadGen.Sla;
using Xunit;

namespace CretoAI.Fast.LoadGen.Tests;

public sealed class SlaTests
{
    private const string Valid = """
        {
          // comments and trailing commas are allowed
          "name": "ping under load",
          "latency": { "p99.9": "5ms", "p50": "250us", "p99": "1.5ms", "max": "1s", },
          "minThroughput": 10000,
          "maxErrorRate": 0.001,
        }
        """;

    [Fact]
    public void Parses_percentiles_durations_and_limits()
    {
        var sla = SlaParser.Parse(Valid);

        Assert.Equal("ping under load", sla.Name);
        Assert.Equal([50, 99, 99.9, 100], sla.Latency.Select(l => l.Percentile));
        Assert.Equal([250, 1500, 5000, 1_000_000], sla.Latency.Select(l => l.MaxMicros));
        Assert.Equal(10000, sla.MinThroughput);
        Assert.Equal(0.001, sla.MaxErrorRate);
    }

    [Theory]
    [InlineData("example.json")]
    [InlineData("tx-example.json")]
    public void The_example_files_in_the_repository_parse(string name)
    {
        var sla = SlaParser.Load(Path.Combine(RepositoryRoot(), "perf", "sla", name));

        Assert.NotEmpty(sla.Latency);
    }

    [Theory]
    [InlineData("{", "not a valid SLA file")]
    [InlineData("""{ "latency": { "p99": "1ms" }, "minThroughputs": 5 }""", "not a valid SLA file")]
    [InlineData("""{ "latency": { "q99": "1ms" } }""", "'q99' is not a percentile")]
    [InlineData("""{ "latency": { "p101": "1ms" } }""", "'p101' is not a percentile")]
    [InlineData("""{ "latency": { "p99": "fast" } }""", "is not a duration")]
    [InlineData("""{ "latency": { "p99": "5 parsecs" } }""", "is not a duration")]
    [InlineData("""{ "latency": { "p99": 5 } }""", "not a valid SLA file")]
    [InlineData("""{ "maxErrorRate": 2 }""", "maxErrorRate must be between 0 and 1")]
    [InlineData("""{ "minThroughput": -1 }""", "minThroughput must be a non-negative")]
    [InlineData("{ }", "sets no criterion")]
    [InlineData("null", "is empty")]
    public void Malformed_files_get_a_message_naming_the_problem(string json, string expected)
    {
        var error = Assert.Throws<LoadGenException>(() => SlaParser.Parse(json, "test.json"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_a_clear_error()
    {
        var error = Assert.Throws<LoadGenException>(() => SlaParser.Load("/nonexistent/sla.json"));

        Assert.Contains("cannot read SLA file", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("800ns", 0.8)]
    [InlineData("250us", 250)]
    [InlineData("250µs", 250)]
    [InlineData("1.5ms", 1500)]
    [InlineData("2s", 2_000_000)]
    public void Durations_convert_to_microseconds(string text, double micros)
    {
        Assert.True(SlaParser.TryParseDuration(text, out var parsed));
        Assert.Equal(micros, parsed, 1e-9);
    }

    [Fact]
    public void Verdicts_compare_each_step_with_each_criterion()
    {
        var sla = SlaParser.Parse("""{ "latency": { "p50": "100us", "p99": "1ms" }, "minThroughput": 1000, "maxErrorRate": 0.01 }""");
        var good = Step(1, p50: 80, p99: 900, achieved: 5000, sent: 1000, failed: 0);
        var bad = Step(2, p50: 80, p99: 1100, achieved: 500, sent: 1000, failed: 20);

        var verdicts = SlaEvaluator.Evaluate(sla, [good, bad]);

        Assert.Equal(8, verdicts.Count);
        Assert.All(verdicts.Where(v => v.Step == 1), v => Assert.True(v.Met, v.Criterion));
        Assert.Equal(["p99 latency", "throughput", "error rate"], verdicts.Where(v => v.Step == 2 && !v.Met).Select(v => v.Criterion));
        Assert.True(SlaEvaluator.AllMet(verdicts.Where(v => v.Step == 1).ToList()));
        Assert.False(SlaEvaluator.AllMet(verdicts));
    }

    [Fact]
    public void A_step_without_any_reply_meets_no_latency_criterion()
    {
        var sla = SlaParser.Parse("""{ "latency": { "p99": "1s" } }""");
        var empty = Step(1, 0, 0, 0, sent: 10, failed: 10) with { Latency = new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0, []) };

        var verdict = Assert.Single(SlaEvaluator.Evaluate(sla, [empty]));

        Assert.False(verdict.Met);
        Assert.Equal("no data", verdict.Measured);
    }

    internal static StepResult Step(int step, double p50, double p99, double achieved, long sent, long failed)
    {
        PercentilePoint[] distribution = [new(0, p50 / 2), new(50, p50), new(99, p99), new(100, p99 * 2)];
        var latency = new LatencySummary(sent - failed, p50, p50, p50, p99, p99 * 2, p99 * 2, p99 * 2, distribution);
        return new StepResult(step, "ping", "127.0.0.1:1", 1, 1, 32, 1, 1000 * step, 1, sent, sent - failed, failed, achieved, sent == 0 ? 0 : (double)failed / sent, latency, null);
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CretoAI.Fast.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
