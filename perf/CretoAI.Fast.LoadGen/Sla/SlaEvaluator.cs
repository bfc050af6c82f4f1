using System.Globalization;
using CretoAI.Fast.LoadGen.Engine;

namespace CretoAI.Fast.LoadGen.Sla;

/// <summary>
/// Checks every step against every criterion. Latency is the coordinated-omission corrected latency
/// of the step (the one a user of a service at that offered rate would see). A step with no
/// succeeded request fails every latency criterion: there is nothing to show it met them.
/// </summary>
public static class SlaEvaluator
{
    public static IReadOnlyList<SlaVerdict> Evaluate(SlaSpec sla, IReadOnlyList<StepResult> steps)
    {
        ArgumentNullException.ThrowIfNull(sla);
        ArgumentNullException.ThrowIfNull(steps);
        var verdicts = new List<SlaVerdict>();
        foreach (var step in steps)
        {
            foreach (var limit in sla.Latency)
            {
                var has = step.Latency.Count > 0;
                var measured = has ? step.Latency.AtPercentile(limit.Percentile) : double.NaN;
                verdicts.Add(new SlaVerdict(step.Step, $"{limit.Label} latency", $"<= {FormatMicros(limit.MaxMicros)}", has ? FormatMicros(measured) : "no data", has && measured <= limit.MaxMicros));
            }

            if (sla.MinThroughput is { } minRate)
            {
                verdicts.Add(new SlaVerdict(step.Step, "throughput", Invariant($">= {minRate:0.#}/s"), Invariant($"{step.AchievedRate:0.#}/s"), step.AchievedRate >= minRate));
            }

            if (sla.MaxErrorRate is { } maxErrors)
            {
                verdicts.Add(new SlaVerdict(step.Step, "error rate", Invariant($"<= {maxErrors:0.######}"), Invariant($"{step.ErrorRate:0.######} ({step.Failed}/{step.Sent})"), step.Sent > 0 && step.ErrorRate <= maxErrors));
            }
        }

        return verdicts;
    }

    public static bool AllMet(IReadOnlyList<SlaVerdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        foreach (var verdict in verdicts)
        {
            if (!verdict.Met)
            {
                return false;
            }
        }

        return true;
    }

    public static string FormatMicros(double micros) => micros >= 10_000
        ? Invariant($"{micros / 1000:0.##} ms")
        : Invariant($"{micros:0.#} us");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
