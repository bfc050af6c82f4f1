namespace CretoAI.Fast.Node.Tests.Infrastructure;

/// <summary>What docs/metrics.md documents.</summary>
internal static class MetricsDocument
{
    /// <summary>The metrics documented in docs/metrics.md: name and type from every table row whose name starts with cretoai_.</summary>
    public static IReadOnlyList<(string Name, string Type, string Labels)> Metrics()
    {
        var metrics = new List<(string, string, string)>();
        foreach (var line in File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "docs", "metrics.md")))
        {
            if (!line.StartsWith('|'))
            {
                continue;
            }

            var cells = line.Split('|');
            if (cells.Length < 6)
            {
                continue;
            }

            var name = cells[2].Trim().Trim('`');
            if (name.StartsWith("cretoai_", StringComparison.Ordinal))
            {
                metrics.Add((name, cells[3].Trim(), cells[4].Trim().Trim('`')));
            }
        }

        return metrics;
    }
}
