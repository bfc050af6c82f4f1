using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;
using CretoAI.Fast.Reputation.Scores;
using CretoAI.Fast.Reputation.Stake;

namespace CretoAI.Fast.Reputation.Ledger;

/// <summary>
/// Every chain constant the <see cref="ValidatorLedger"/> needs: the stake, reputation, weight and
/// adaptive-quorum rules plus the ledger's own clocks (epoch and participation window in blocks). All
/// belong in genesis: replicas with different rules compute different state.
/// </summary>
public sealed record LedgerRules
{
    public static LedgerRules Default { get; } = new();

    public StakeRules Stake { get; init; } = StakeRules.Default;

    public ReputationRules Reputation { get; init; } = ReputationRules.Default;

    public VotingWeightRules Weights { get; init; } = VotingWeightRules.Default;

    public AdaptiveQuorumRules Quorum { get; init; } = AdaptiveQuorumRules.Default;

    /// <summary>Blocks per epoch: at each multiple of this height the next epoch's weights are computed.</summary>
    public ulong EpochLengthBlocks { get; init; } = 1000;

    /// <summary>
    /// Blocks per participation window. A validator that signed no certificate and proposed no block
    /// in a whole window missed it (a reputation penalty); one that took part earns the uptime
    /// heartbeat. Certificates carry only the fewest signatures that reach the quorum, so one block
    /// says little about who is up; a window of several does.
    /// </summary>
    public ulong ParticipationWindowBlocks { get; init; } = 10;

    /// <summary>Consecutive missed windows that count as prolonged downtime (a stake slash).</summary>
    public uint DowntimeWindows { get; init; } = 6;

    /// <summary>Throws <see cref="InvalidSettingException"/> naming the first bad setting; returns this.</summary>
    public LedgerRules Validate()
    {
        if (Stake is null || Reputation is null || Quorum is null)
        {
            throw new InvalidSettingException("ledger.rules", "stake, reputation and quorum rules are all required.");
        }

        Stake.Validate();
        Reputation.Validate();
        Quorum.Validate();
        if (ParticipationWindowBlocks is 0 or > 1_000_000)
        {
            throw new InvalidSettingException("ledger.participation-window", $"{ParticipationWindowBlocks} blocks is outside 1..1,000,000.");
        }

        if (EpochLengthBlocks == 0 || EpochLengthBlocks % ParticipationWindowBlocks != 0)
        {
            throw new InvalidSettingException("ledger.epoch-length", $"{EpochLengthBlocks} blocks must be a positive multiple of the participation window ({ParticipationWindowBlocks}).");
        }

        if (DowntimeWindows == 0)
        {
            throw new InvalidSettingException("ledger.downtime-windows", "must be at least 1.");
        }

        return this;
    }
}
