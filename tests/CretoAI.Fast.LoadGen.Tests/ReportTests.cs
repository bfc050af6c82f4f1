using System.Text.Json;
using System.Xml.Linq;
using CretoAI.Fast.LoadGen.Report;
using CretoAI.Fast.LoadGen.Sla;
using Xunit;

namespace CretoAI.Fast.LoadGen.Tests;

public sealed class ReportTests
{
    [Fact]
    public void Svg_plot_is_well_formed_with_one_curve_per_step_and_a_mark_per_sla_limit()
    {
        var sla = SlaParser.Parse("""{ "latency": { "p50": "100us", "p99": "1ms" } }""");
        var svg = PercentilePlot.Render([SlaTests.Step(1, 80, 900, 1000, 100, 0), SlaTests.Step(2, 90, 1200, 1000, 100, 0)], sla, "a <title> & more");

        var document = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(2, document.Descendants(ns + "polyline").Count());
        Assert.Equal(2, document.Descendants(ns + "path").Count());
        Assert.Contains(document.Descendants(ns + "text"), t => t.Value == "a <title> & more");
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(90, 1)]
    [InlineData(99, 2)]
    [InlineData(99.9, 3)]
    [InlineData(100, 5)]
    public void Percentile_axis_counts_nines(double percentile, double nines) =>
        Assert.Equal(nines, PercentilePlot.Nines(percentile), 1e-9);

    [Fact]
    public void Markdown_and_json_carry_steps_and_verdicts()
    {
        var sla = SlaParser.Parse("""{ "name": "t", "latency": { "p99": "1ms" } }""");
        var steps = new[] { SlaTests.Step(1, 80, 900, 1000, 100, 0), SlaTests.Step(2, 90, 1200, 1000, 100, 0) };
        var verdicts = SlaEvaluator.Evaluate(sla, steps);
        var report = new RunReport("cretoai-fast-loadgen", "2026-11-25T00:00:00Z", "test", "cmd", "ping", "x", "open", 1, 0, steps, sla, verdicts, false, 1);

        var markdown = MarkdownReport.Render(report, "latency.svg");
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, LoadGenJsonContext.Default.RunReport));

        Assert.Contains("![latency by percentile](latency.svg)", markdown, StringComparison.Ordinal);
        Assert.Contains("| 2 | p99 latency | <= 1000 us | 1200 us | **missed** |", markdown, StringComparison.Ordinal);
        Assert.Contains("MISSED", markdown, StringComparison.Ordinal);
        Assert.Equal(2, json.RootElement.GetProperty("steps").GetArrayLength());
        Assert.False(json.RootElement.GetProperty("slaMet").GetBoolean());
        Assert.Equal(2, json.RootElement.GetProperty("verdicts").GetArrayLength());
    }
}
