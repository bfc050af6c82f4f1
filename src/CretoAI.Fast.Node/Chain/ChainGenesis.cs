using CretoAI.Fast.Consensus.Weights;

namespace CretoAI.Fast.Node.Chain;

/// <summary>
/// The parameters every validator of one chain must agree on, as read from the genesis file. The
/// chain id is the hash of their canonical encoding, so two nodes with any difference here refuse
/// each other at the handshake. Parsing, canonical encoding and hashing live beside this type.
/// </summary>
public sealed class ChainGenesis
{
    /// <summary>Human-readable chain name (also hashed), e.g. <c>cretoai-local</c>.</summary>
    public required string ChainName { get; init; }

    /// <summary>Timestamp of the genesis block, Unix milliseconds. Block timestamps never go below it.</summary>
    public required ulong GenesisTimeMs { get; init; }

    /// <summary>Blocks per epoch; validator weights are recomputed from committed state at each boundary.</summary>
    public required ulong EpochLengthBlocks { get; init; }

    /// <summary>The validator set of epoch 0, in index order.</summary>
    public required IReadOnlyList<GenesisValidator> Validators { get; init; }

    /// <summary>Weight eligibility and cap.</summary>
    public VotingWeightRules WeightRules { get; init; } = VotingWeightRules.Default;

    /// <summary>Thresholds and windows of the adaptive quorum.</summary>
    public AdaptiveQuorumRules QuorumRules { get; init; } = AdaptiveQuorumRules.Default;

    /// <summary>Pacemaker base round timeout in milliseconds (doubles per consecutive timeout).</summary>
    public long BaseRoundTimeoutMs { get; init; } = 1000;

    /// <summary>Most transactions one block may carry.</summary>
    public int MaxTransactionsPerBlock { get; init; } = 128;
}
