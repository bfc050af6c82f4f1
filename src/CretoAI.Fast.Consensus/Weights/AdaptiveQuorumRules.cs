namespace CretoAI.Fast.Consensus.Weights;

/// <summary>
/// Chain constants of the adaptive quorum (they must be equal on every validator: genesis configuration).
/// Defaults are the seed's: 300 s window, 5 % / 15 % of validators, stability 0.9 / 0.7, 600 s calm; plus an
/// activation delay of 2 heights and a stability window of 100 rounds, both ours.
/// </summary>
public sealed record AdaptiveQuorumRules
{
    public static AdaptiveQuorumRules Default { get; } = new();

    /// <summary>Evidence counts for this long after the block that committed it.</summary>
    public ulong ByzantineWindowMs { get; init; } = 300_000;

    /// <summary>A downgrade needs the lower level to have been called for continuously this long.</summary>
    public ulong CalmPeriodMs { get; init; } = 600_000;

    /// <summary>Elevated when distinct offenders in the window are at least this percentage of validators.</summary>
    public uint ElevatedByzantinePercent { get; init; } = 5;

    /// <summary>High when distinct offenders in the window are at least this percentage of validators.</summary>
    public uint HighByzantinePercent { get; init; } = 15;

    /// <summary>Elevated when stability is below this (ppm).</summary>
    public uint ElevatedStabilityPpm { get; init; } = 900_000;

    /// <summary>High when stability is below this (ppm).</summary>
    public uint HighStabilityPpm { get; init; } = 700_000;

    /// <summary>A level decided at height h applies from height h + this.</summary>
    public ulong ActivationDelay { get; init; } = 2;

    /// <summary>Stability looks at this many most recent rounds.</summary>
    public uint StabilityWindowRounds { get; init; } = 100;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first inconsistent constant.</summary>
    public AdaptiveQuorumRules Validate()
    {
        Check(ByzantineWindowMs > 0, nameof(ByzantineWindowMs), "must be positive");
        Check(CalmPeriodMs > 0, nameof(CalmPeriodMs), "must be positive");
        Check(ElevatedByzantinePercent is > 0 and <= 100, nameof(ElevatedByzantinePercent), "must be in 1..100");
        Check(HighByzantinePercent >= ElevatedByzantinePercent && HighByzantinePercent <= 100, nameof(HighByzantinePercent), "must be in Elevated..100");
        Check(ElevatedStabilityPpm <= VotingWeights.PpmScale, nameof(ElevatedStabilityPpm), "must be at most 1,000,000");
        Check(HighStabilityPpm <= ElevatedStabilityPpm, nameof(HighStabilityPpm), "must be at most the Elevated threshold");
        Check(ActivationDelay is > 0 and <= 1_000_000, nameof(ActivationDelay), "must be in 1..1,000,000");
        Check(StabilityWindowRounds is > 0 and <= 100_000, nameof(StabilityWindowRounds), "must be in 1..100,000");
        return this;
    }

    private static void Check(bool condition, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, $"Adaptive quorum rule {name} {rule}.");
        }
    }
}
