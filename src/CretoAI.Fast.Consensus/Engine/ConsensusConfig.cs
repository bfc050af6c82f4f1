using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Engine;

/// <summary>Everything one consensus engine instance is built from. Values that must agree across validators (chain id, set, levels) come from genesis.</summary>
public sealed class ConsensusConfig
{
    public required Hash32 ChainId { get; init; }

    public required ValidatorSet Validators { get; init; }

    public IThreatLevelProvider ThreatLevels { get; init; } = FixedThreatLevel.Normal;

    /// <summary>Round timeout before any back-off, in the driver's clock units (milliseconds in the node).</summary>
    public long BaseRoundTimeout { get; init; } = 1000;

    /// <summary>Back-off doubles per consecutive timeout up to 2^this.</summary>
    public int MaxBackoffExponent { get; init; } = 6;

    public int MaxTransactionsPerBlock { get; init; } = 256;

    /// <summary>
    /// Most bytes of transactions in one block (the sum of their encodings). A leader stops filling
    /// a block here and a proposal over it is refused. Without it a block of full-size transactions
    /// (128 × 72,803 bytes ≈ 9.3 MB) was larger than the node's WAL page (4 MiB) and validator frame
    /// (8 MiB): the leader's WAL append would fail and stop the node. 3 MiB leaves room in a WAL
    /// record for the certificate and evidence. All validators must use the same value.
    /// </summary>
    public int MaxBlockTransactionBytes { get; init; } = DefaultMaxBlockTransactionBytes;

    /// <summary>The default of <see cref="MaxBlockTransactionBytes"/>: 3 MiB.</summary>
    public const int DefaultMaxBlockTransactionBytes = 3 << 20;

    public int MaxEvidencePerBlock { get; init; } = 8;

    public int MaxPendingTransactions { get; init; } = 10_000;

    /// <summary>Proposals waiting for a missing parent; beyond this the oldest are dropped.</summary>
    public int MaxBufferedProposals { get; init; } = 64;

    /// <summary>Timestamp of the genesis block (Unix milliseconds in the node); block timestamps never go below it.</summary>
    public ulong GenesisTimeMs { get; init; }

    /// <summary>
    /// How far ahead of this node's clock a proposal's timestamp may be before this node refuses to
    /// vote for it, in the driver's clock units (milliseconds in the node).
    /// </summary>
    public long MaxClockDriftMs { get; init; } = 10_000;

    /// <summary>
    /// How long a leader with nothing to propose waits before proposing an empty block, once the
    /// chain is quiet (the last 2n committed blocks were empty), in the driver's clock units
    /// (milliseconds in the node); 0 proposes at once (every round makes a block). It proposes at
    /// once anyway when transactions arrive, when evidence is pending, or when the uncommitted chain
    /// holds transactions or evidence (the next blocks are what commits them). A leader's own pacing: validators need not agree on it. Below half the round timeout.
    /// </summary>
    public long IdleProposalDelay { get; init; }

    /// <summary>TEST ONLY; see <see cref="SafetyRuleBreak"/>.</summary>
    public SafetyRuleBreak TestOnlyRuleBreak { get; init; }

    public void Validate()
    {
        if (Validators is null || ThreatLevels is null)
        {
            throw new InvalidSettingException("consensus.validators", "a validator set and a threat-level provider are required.");
        }

        if (BaseRoundTimeout <= 0)
        {
            throw new InvalidSettingException("consensus.base-round-timeout", "must be positive.");
        }

        if (MaxBackoffExponent is < 0 or > 20)
        {
            throw new InvalidSettingException("consensus.max-backoff-exponent", "must be between 0 and 20.");
        }

        if (IdleProposalDelay < 0 || IdleProposalDelay >= BaseRoundTimeout / 2)
        {
            throw new InvalidSettingException("consensus.idle-proposal-delay", $"must be at least 0 and below half the base round timeout ({BaseRoundTimeout / 2}).");
        }

        if (MaxClockDriftMs < 0)
        {
            throw new InvalidSettingException("consensus.max-clock-drift", "must not be negative.");
        }

        if (MaxBlockTransactionBytes <= 0)
        {
            throw new InvalidSettingException("consensus.max-block-transaction-bytes", "must be positive.");
        }

        if (MaxTransactionsPerBlock <= 0 || MaxEvidencePerBlock < 0 || MaxPendingTransactions <= 0 || MaxBufferedProposals <= 0)
        {
            throw new InvalidSettingException("consensus.limits", "block, evidence, mempool and buffer limits must be positive.");
        }
    }
}
