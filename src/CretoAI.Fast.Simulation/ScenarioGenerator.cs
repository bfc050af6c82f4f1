using CretoAI.Fast.Consensus.Weights;

namespace CretoAI.Fast.Simulation;

/// <summary>
/// Derives a whole scenario from a seed: validator count (4–10), weights (equal or random), the
/// Byzantine set filled up to the bound (honest weight still reaches the Normal quorum), their
/// strategies, the fault mix and, for some seeds, a Twins pair. Anything given explicitly overrides.
/// </summary>
public static class ScenarioGenerator
{
    private static readonly ByzantineStrategy[] Strategies = Enum.GetValues<ByzantineStrategy>();

    /// <summary>The <c>simulate</c> arguments that rebuild the scenario of these generator inputs.</summary>
    public static string ReplayArguments(ulong seed, int? nodes, int? byzantine, FaultMix? faults, bool? twins, SignatureScheme scheme)
    {
        var text = new System.Text.StringBuilder().Append("--seed ").Append(seed);
        if (nodes is { } n)
        {
            text.Append(" --nodes ").Append(n);
        }

        if (byzantine is { } b)
        {
            text.Append(" --byzantine ").Append(b);
        }

        if (faults is { } f)
        {
            text.Append(" --faults ").Append(FaultMixParser.Format(f));
        }

        if (twins is { } t)
        {
            text.Append(" --twins ").Append(t ? "on" : "off");
        }

        if (scheme == SignatureScheme.MLDsa87)
        {
            text.Append(" --scheme ml-dsa-87");
        }

        return text.ToString();
    }

    public static SimulationOptions FromSeed(ulong seed, int? nodes = null, int? byzantine = null, FaultMix? faults = null, bool? twins = null, SignatureScheme scheme = SignatureScheme.Fake)
    {
        var random = new DeterministicRandom(seed ^ 0x5CE7A510UL);
        var n = nodes ?? (4 + random.Next(7));
        if (n is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(nodes), n, "Between 1 and 256 validators.");
        }

        var weights = new ulong[n];
        var equal = random.Chance(500);
        for (var i = 0; i < n; i++)
        {
            weights[i] = equal ? 100 : (ulong)(1 + random.Next(100));
        }

        var useTwins = twins ?? random.Chance(200);
        var order = Enumerable.Range(0, n).ToArray();
        for (var i = n - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        // Fill the Byzantine set while the honest weight still reaches the quorum: "at the bound".
        var total = weights.Aggregate(0UL, (a, w) => a + w);
        var chosen = new List<int>();
        ulong faulty = 0;
        var limit = byzantine ?? int.MaxValue;
        foreach (var candidate in order)
        {
            if (chosen.Count >= limit)
            {
                break;
            }

            if (QuorumThreshold.IsReached(total - faulty - weights[candidate], total, ThreatLevel.Normal))
            {
                chosen.Add(candidate);
                faulty += weights[candidate];
            }
        }

        if (byzantine is { } wanted && chosen.Count < wanted)
        {
            throw new ArgumentOutOfRangeException(nameof(byzantine), wanted, $"At most {chosen.Count} of {n} validators can be Byzantine while the honest weight reaches the 67 % quorum.");
        }

        var strategies = new Dictionary<int, ByzantineStrategy>();
        var twinIndex = -1;
        for (var i = 0; i < chosen.Count; i++)
        {
            if (useTwins && twinIndex < 0)
            {
                twinIndex = chosen[i];
                continue;
            }

            strategies[chosen[i]] = Strategies[random.Next(Strategies.Length)];
        }

        var mix = faults ?? (FaultMix)random.Next((int)FaultMix.All + 1);
        return new SimulationOptions
        {
            Seed = seed,
            Weights = weights,
            Byzantine = strategies,
            TwinIndex = twinIndex,
            Faults = mix,
            DropPerMille = 20 + random.Next(200),
            DuplicatePerMille = random.Next(150),
            Scheme = scheme,
            ReplayArguments = ReplayArguments(seed, nodes, byzantine, faults, twins, scheme),
        };
    }
}
