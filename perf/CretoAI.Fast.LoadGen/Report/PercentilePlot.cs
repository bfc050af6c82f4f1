using System.Globalization;
using System.Text;
using CretoAI.Fast.LoadGen.Engine;
using CretoAI.Fast.LoadGen.Sla;

namespace CretoAI.Fast.LoadGen.Report;

/// <summary>
/// Renders latency-by-percentile curves to SVG, the usual HdrHistogram plot: the x axis is
/// log10(1 / (1 − percentile/100)), so 90, 99, 99.9, 99.99 % are evenly spaced and the tail gets
/// the room; the y axis is linear latency. One line per step; SLA limits are drawn as marks.
/// </summary>
public static class PercentilePlot
{
    private const double Width = 800;
    private const double Height = 460;
    private const double Left = 70;
    private const double Right = 170;
    private const double Top = 30;
    private const double Bottom = 50;
    private const double MaxNines = 5; // up to 99.999 %

    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    public static string Render(IReadOnlyList<StepResult> steps, SlaSpec? sla, string title)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var maxMicros = 1.0;
        foreach (var step in steps)
        {
            maxMicros = Math.Max(maxMicros, step.Latency.Max);
        }

        foreach (var limit in sla?.Latency ?? [])
        {
            maxMicros = Math.Max(maxMicros, limit.MaxMicros);
        }

        var yMax = NiceCeiling(maxMicros * 1.05);
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        double X(double percentile) => Left + (Nines(percentile) / MaxNines * plotWidth);
        double Y(double micros) => Top + plotHeight - (micros / yMax * plotHeight);

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{Escape(title)}</text>\n"));

        // Axes and grid.
        string[] labels = ["0%", "90%", "99%", "99.9%", "99.99%", "99.999%"];
        for (var n = 0; n <= MaxNines; n++)
        {
            var x = Left + (n / MaxNines * plotWidth);
            svg.Append(Invariant($"<line x1=\"{x:0.#}\" y1=\"{Top}\" x2=\"{x:0.#}\" y2=\"{Top + plotHeight}\" stroke=\"#ddd\"/>\n"));
            svg.Append(Invariant($"<text x=\"{x:0.#}\" y=\"{Top + plotHeight + 18}\" text-anchor=\"middle\">{labels[n]}</text>\n"));
        }

        for (var i = 0; i <= 5; i++)
        {
            var micros = yMax * i / 5;
            var y = Y(micros);
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Left + plotWidth}\" y2=\"{y:0.#}\" stroke=\"#ddd\"/>\n"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Escape(SlaEvaluator.FormatMicros(micros))}</text>\n"));
        }

        svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#333\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Left + (plotWidth / 2)}\" y=\"{Height - 12}\" text-anchor=\"middle\">percentile</text>\n"));

        for (var s = 0; s < steps.Count; s++)
        {
            var step = steps[s];
            var color = Colors[s % Colors.Length];
            var points = new StringBuilder();
            foreach (var point in step.Latency.Distribution)
            {
                if (Nines(point.Percentile) > MaxNines)
                {
                    break;
                }

                points.Append(Invariant($"{X(point.Percentile):0.##},{Y(point.Micros):0.##} "));
            }

            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{points.ToString().TrimEnd()}\"/>\n"));
            var legendY = Top + 10 + (s * 18);
            svg.Append(Invariant($"<line x1=\"{Width - Right + 12}\" y1=\"{legendY}\" x2=\"{Width - Right + 32}\" y2=\"{legendY}\" stroke=\"{color}\" stroke-width=\"2\"/>\n"));
            svg.Append(Invariant($"<text x=\"{Width - Right + 36}\" y=\"{legendY + 4}\">{Escape(Legend(step))}</text>\n"));
        }

        foreach (var limit in sla?.Latency ?? [])
        {
            var x = X(Math.Min(limit.Percentile, 99.999));
            var y = Y(limit.MaxMicros);
            svg.Append(Invariant($"<path d=\"M{x - 6:0.#},{y:0.#} L{x + 6:0.#},{y:0.#} M{x:0.#},{y:0.#} L{x:0.#},{y + 8:0.#}\" stroke=\"black\" stroke-width=\"2\"/>\n"));
            svg.Append(Invariant($"<text x=\"{x + 8:0.#}\" y=\"{y - 4:0.#}\" font-size=\"11\">SLA {Escape(limit.Label)}</text>\n"));
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Number of nines of a percentile: 90 → 1, 99 → 2, 99.9 → 3; 100 is drawn at the right edge.</summary>
    internal static double Nines(double percentile) =>
        percentile >= 100 ? MaxNines : Math.Min(MaxNines, Math.Log10(100 / (100 - percentile)));

    private static string Legend(StepResult step) => step.OfferedRate is { } rate
        ? Invariant($"step {step.Step}: {rate:0.#}/s")
        : Invariant($"step {step.Step}: closed {step.Connections}x{step.Depth}");

    private static double NiceCeiling(double value)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var factor in (ReadOnlySpan<double>)[1, 2, 2.5, 5, 10])
        {
            if (factor * magnitude >= value)
            {
                return factor * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
