using System.Globalization;
using System.Text;
using CretoAI.Fast.LoadGen.Sla;

namespace CretoAI.Fast.LoadGen.Report;

/// <summary>report.md: the run in tables (steps, verdicts) with the percentile plot beside it.</summary>
public static class MarkdownReport
{
    public static string Render(RunReport report, string plotFileName)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Load run: {report.Mode} against {report.Target}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- started: {report.StartedUtc}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- machine: {report.Machine}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- command: `{report.CommandLine}`");
        md.AppendLine(CultureInfo.InvariantCulture, $"- {report.Loop} loop, {report.DurationSeconds:0.###} s measured per step after {report.WarmupSeconds:0.###} s of warm-up");
        md.AppendLine(string.Equals(report.Loop, "open", StringComparison.Ordinal)
            ? "- latency is measured from each request's intended send time on the fixed schedule (coordinated-omission corrected); `service p99` is from the actual send time"
            : "- latency is measured from each request's send time (closed loop: the next request waits for a reply)");
        md.AppendLine();
        md.AppendLine("| step | offered/s | achieved/s | sent | ok | failed | p50 | p90 | p99 | p99.9 | max | service p99 |");
        md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var step in report.Steps)
        {
            var offered = step.OfferedRate is { } rate ? rate.ToString("0.#", CultureInfo.InvariantCulture) : $"closed {step.Connections}x{step.Depth}";
            var service = step.ServiceLatency is { } s ? SlaEvaluator.FormatMicros(s.P99) : "–";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {step.Step} | {offered} | {step.AchievedRate:0.#} | {step.Sent} | {step.Succeeded} | {step.Failed} | {SlaEvaluator.FormatMicros(step.Latency.P50)} | {SlaEvaluator.FormatMicros(step.Latency.P90)} | {SlaEvaluator.FormatMicros(step.Latency.P99)} | {SlaEvaluator.FormatMicros(step.Latency.P999)} | {SlaEvaluator.FormatMicros(step.Latency.Max)} | {service} |");
        }

        md.AppendLine();
        if (report.Steps.Count > 0 && report.Steps[0].ItemsPerRequest > 1)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"A request is a batch of {report.Steps[0].ItemsPerRequest} signatures: items/s = achieved/s × {report.Steps[0].ItemsPerRequest}.");
            md.AppendLine();
        }

        var failures = report.Steps.Where(s => s.Failures is { Count: > 0 }).ToList();
        if (failures.Count > 0)
        {
            md.AppendLine("| step | failed because | requests |");
            md.AppendLine("| ---: | --- | ---: |");
            foreach (var step in failures)
            {
                foreach (var failure in step.Failures!)
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"| {step.Step} | {failure.Reason} | {failure.Count} |");
                }
            }

            md.AppendLine();
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"![latency by percentile]({plotFileName})");
        md.AppendLine();
        if (report.Sla is { } sla)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## SLA \"{sla.Name}\": {(report.SlaMet == true ? "MET" : "MISSED")}");
            md.AppendLine();
            md.AppendLine("| step | criterion | limit | measured | verdict |");
            md.AppendLine("| ---: | --- | --- | --- | --- |");
            foreach (var verdict in report.Verdicts)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {verdict.Step} | {verdict.Criterion} | {verdict.Limit} | {verdict.Measured} | {(verdict.Met ? "met" : "**missed**")} |");
            }

            md.AppendLine();
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"Exit code: {report.ExitCode}.");
        return md.ToString();
    }
}
