namespace CretoAI.Fast.Node.Tests.Infrastructure;

internal static class Repository
{
    public static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CretoAI.Fast.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("CretoAI.Fast.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The metrics documented in docs/metrics.md: name and type from every table row whose name starts with cretoai_.</summary>
    public static IReadOnlyList<(string Name, string Type, string Labels)> DocumentedMetrics()
    {
        var metrics = new List<(string, string, string)>();
        foreach (var line in File.ReadAllLines(Path.Combine(Root(), "docs", "metrics.md")))
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
