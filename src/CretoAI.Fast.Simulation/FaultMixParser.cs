namespace CretoAI.Fast.Simulation;

/// <summary>Parses and prints fault mixes as comma-separated names: <c>drop,delay,partition</c>, <c>all</c>, <c>none</c>.</summary>
public static class FaultMixParser
{
    public static bool TryParse(string? text, out FaultMix mix, out string error)
    {
        mix = FaultMix.None;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty fault list; use e.g. 'drop,delay,partition', 'all' or 'none'.";
            return false;
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            FaultMix one = part.ToUpperInvariant() switch
            {
                "NONE" => FaultMix.None,
                "ALL" => FaultMix.All,
                "DROP" => FaultMix.Drop,
                "DELAY" => FaultMix.Delay,
                "DUPLICATE" or "DUP" => FaultMix.Duplicate,
                "REORDER" => FaultMix.Reorder,
                "PARTITION" => FaultMix.Partition,
                "CRASH" => FaultMix.Crash,
                _ => (FaultMix)(-1),
            };
            if ((int)one < 0)
            {
                error = $"unknown fault '{part}'; known: drop, delay, duplicate, reorder, partition, crash, all, none.";
                return false;
            }

            mix |= one;
        }

        return true;
    }

    public static string Format(FaultMix mix)
    {
        if (mix == FaultMix.None)
        {
            return "none";
        }

        if (mix == FaultMix.All)
        {
            return "all";
        }

        return string.Join(",", Enum.GetValues<FaultMix>()
            .Where(f => f is not (FaultMix.None or FaultMix.All) && mix.HasFlag(f))
            .Select(f => f.ToString().ToLowerInvariant()));
    }
}
