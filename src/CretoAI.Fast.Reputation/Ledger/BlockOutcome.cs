using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Reputation.Ledger;

/// <summary>What applying one committed block did to the validator ledger.</summary>
public sealed class BlockOutcome
{
    public required ulong Height { get; init; }

    public required IReadOnlyList<TransactionOutcome> Transactions { get; init; }

    /// <summary>Slashes applied by this block (evidence and downtime), in order.</summary>
    public required IReadOnlyList<SlashRecord> Slashes { get; init; }

    /// <summary>Evidence in the block that had already been slashed (a replay): ignored.</summary>
    public required int EvidenceReplays { get; init; }

    public required ThreatAssessment Threat { get; init; }

    /// <summary>Set when this block closed an epoch: the weights computed for the next one.</summary>
    public EpochWeights? NextEpoch { get; init; }

    /// <summary>The state digest after the block.</summary>
    public required Hash32 StateHash { get; init; }
}
