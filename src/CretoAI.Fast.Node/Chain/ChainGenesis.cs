using CretoAI.Fast.Consensus.Engine;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Reputation.Scores;
using CretoAI.Fast.Reputation.Stake;

namespace CretoAI.Fast.Node.Chain;

/// <summary>
/// The parameters every validator of one chain must agree on, as read from the genesis file
/// (<see cref="GenesisFile"/>). The chain id is SHA3-256 of their canonical binary encoding
/// (<see cref="ToCanonicalBytes"/>), so two nodes with any difference here refuse each other at the
/// handshake, while reformatting the JSON changes nothing. Treat an instance as immutable once
/// built: the chain id and the validator set are computed once, on first use.
/// </summary>
public sealed partial class ChainGenesis
{
    private Hash32? _chainId;
    private ValidatorSet? _validatorSet;

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

    /// <summary>Bond limits, lock and unbonding periods, slash percentages of the stake manager.</summary>
    public StakeRules StakeRules { get; init; } = StakeRules.Default;

    /// <summary>Rewards, penalties and decay of the reputation tracker.</summary>
    public ReputationRules ReputationRules { get; init; } = ReputationRules.Default;

    /// <summary>Blocks per participation window of the ledger (uptime heartbeats, missed votes); divides <see cref="EpochLengthBlocks"/>.</summary>
    public ulong ParticipationWindowBlocks { get; init; } = LedgerRules.Default.ParticipationWindowBlocks;

    /// <summary>Consecutive missed participation windows that count as prolonged downtime.</summary>
    public uint DowntimeWindows { get; init; } = LedgerRules.Default.DowntimeWindows;

    /// <summary>Pacemaker base round timeout in milliseconds (doubles per consecutive timeout).</summary>
    public long BaseRoundTimeoutMs { get; init; } = 1000;

    /// <summary>Most transactions one block may carry.</summary>
    public int MaxTransactionsPerBlock { get; init; } = 128;

    /// <summary>
    /// The ledger's rules, assembled from this genesis: stake, reputation, weight and quorum rules,
    /// epoch length, participation window and downtime windows.
    /// </summary>
    public LedgerRules LedgerRules => new()
    {
        Stake = StakeRules,
        Reputation = ReputationRules,
        Weights = WeightRules,
        Quorum = QuorumRules,
        EpochLengthBlocks = EpochLengthBlocks,
        ParticipationWindowBlocks = ParticipationWindowBlocks,
        DowntimeWindows = DowntimeWindows,
    };

    /// <summary>SHA3-256 of <see cref="ToCanonicalBytes"/>. Computed once.</summary>
    /// <exception cref="GenesisException">The parameters are invalid (only a valid genesis has a chain id).</exception>
    public Hash32 ChainId => _chainId ??= Sha3.Hash256(ToCanonicalBytes());

    /// <summary>The node id (SHA3-256 of the public key) of validator <paramref name="index"/>.</summary>
    public Hash32 NodeIdOf(int index) => Sha3.Hash256(Validators[index].PublicKey.Span);

    /// <summary>The validators as the ledger opens their accounts: key, liquid balance, bonded stake, reputation; genesis order.</summary>
    public IReadOnlyList<LedgerValidator> CreateLedgerValidators()
    {
        var validators = new LedgerValidator[Validators.Count];
        for (var i = 0; i < validators.Length; i++)
        {
            var v = Validators[i];
            validators[i] = new LedgerValidator(v.PublicKey, v.Balance, v.Stake, v.ReputationPpm);
        }

        return validators;
    }

    /// <summary>
    /// The epoch-0 validator set, in genesis order, weighted by <see cref="ValidatorLedger.GenesisWeights"/>
    /// (stake, reputation, uptime 1.0, capped). Validates first. Built once: every call returns the
    /// same immutable set, so the consensus engine and the ledger share it.
    /// </summary>
    /// <exception cref="GenesisException">The parameters are invalid.</exception>
    public ValidatorSet CreateValidatorSet()
    {
        if (_validatorSet is { } built)
        {
            return built;
        }

        Validate();
        var weights = ValidatorLedger.GenesisWeights(CreateLedgerValidators(), WeightRules);
        var members = new Validator[Validators.Count];
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = new Validator(NodeIdOf(i), Validators[i].PublicKey, weights[i]);
        }

        _validatorSet = new ValidatorSet(0, members);
        return _validatorSet;
    }

    /// <summary>
    /// The consensus engine's configuration for this chain: chain id, epoch-0 validator set, base
    /// round timeout, block size limit and genesis time; the other limits keep their defaults.
    /// </summary>
    /// <param name="threatLevels">Which quorum level applies at a height: the ledger's adaptive quorum in a node.</param>
    /// <param name="idleProposalDelayMs">This node's <see cref="ConsensusConfig.IdleProposalDelay"/> (a node setting, not a chain parameter).</param>
    /// <exception cref="GenesisException">The parameters are invalid.</exception>
    public ConsensusConfig CreateConsensusConfig(IThreatLevelProvider threatLevels, long idleProposalDelayMs = 0)
    {
        ArgumentNullException.ThrowIfNull(threatLevels);
        return new ConsensusConfig
        {
            ChainId = ChainId,
            Validators = CreateValidatorSet(),
            ThreatLevels = threatLevels,
            BaseRoundTimeout = BaseRoundTimeoutMs,
            MaxTransactionsPerBlock = MaxTransactionsPerBlock,
            GenesisTimeMs = GenesisTimeMs,
            IdleProposalDelay = idleProposalDelayMs,
        };
    }
}
