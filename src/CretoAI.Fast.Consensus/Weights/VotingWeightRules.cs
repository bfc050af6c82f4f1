namespace CretoAI.Fast.Consensus.Weights;

/// <summary>
/// Chain constants of the voting-weight rule (every validator must use the same values, so they belong in
/// the genesis configuration). Defaults are the seed's: stake ≥ 100,000, uptime ≥ 0.75, cap 15 %.
/// The 40 / 40 / 20 split is fixed in <see cref="VotingWeights"/>.
/// </summary>
public readonly record struct VotingWeightRules
{
    public VotingWeightRules(ulong minimumStake, uint minimumUptimePpm, uint capPercent)
    {
        if (minimumStake > VotingWeights.MaxStake)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumStake), minimumStake, $"The minimum stake must be at most {VotingWeights.MaxStake}.");
        }

        if (minimumUptimePpm > VotingWeights.PpmScale)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumUptimePpm), minimumUptimePpm, "Uptime is in parts per million (0..1,000,000).");
        }

        if (capPercent is 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(capPercent), capPercent, "The cap is a percentage in 1..100.");
        }

        MinimumStake = minimumStake;
        MinimumUptimePpm = minimumUptimePpm;
        CapPercent = capPercent;
    }

    public static VotingWeightRules Default { get; } = new(100_000, 750_000, 15);

    /// <summary>Whole stake units a candidate needs to be eligible.</summary>
    public ulong MinimumStake { get; }

    /// <summary>Uptime (parts per million) a candidate needs to be eligible.</summary>
    public uint MinimumUptimePpm { get; }

    /// <summary>No validator may hold more than this percentage of the total weight (when feasible).</summary>
    public uint CapPercent { get; }
}
