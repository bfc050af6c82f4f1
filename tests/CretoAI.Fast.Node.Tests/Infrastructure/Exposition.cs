using System.Globalization;

namespace CretoAI.Fast.Node.Tests.Infrastructure;

/// <summary>A parsed Prometheus text exposition: the declared type of each metric family and every sample.</summary>
internal sealed class Exposition
{
    private Exposition(Dictionary<string, string> types, List<(string Name, string Labels, double Value)> samples)
    {
        Types = types;
        Samples = samples;
    }

    public IReadOnlyDictionary<string, string> Types { get; }

    public IReadOnlyList<(string Name, string Labels, double Value)> Samples { get; }

    public static Exposition Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<(string, string, double)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types.Add(parts[2], parts[3]);
                continue;
            }

            if (line[0] == '#')
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            string name;
            var labels = "";
            if (brace >= 0 && brace < space)
            {
                name = line[..brace];
                labels = line[(brace + 1)..line.LastIndexOf('}')];
            }
            else
            {
                name = line[..space];
            }

            samples.Add((name, labels, ParseValue(line[(space + 1)..])));
        }

        return new Exposition(types, samples);
    }

    /// <summary>The value of the one sample with this name and exactly these labels (raw text, e.g. <c>status="Busy"</c>).</summary>
    public double Value(string name, string labels = "")
    {
        foreach (var sample in Samples)
        {
            if (sample.Name == name && sample.Labels == labels)
            {
                return sample.Value;
            }
        }

        throw new Xunit.Sdk.XunitException($"no sample {name}{{{labels}}} in the exposition");
    }

    public int Count(string name)
    {
        var count = 0;
        foreach (var sample in Samples)
        {
            if (sample.Name == name)
            {
                count++;
            }
        }

        return count;
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
