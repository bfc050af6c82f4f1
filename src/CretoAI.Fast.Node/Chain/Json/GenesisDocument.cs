namespace CretoAI.Fast.Node.Chain.Json;

/// <summary>
/// The JSON shape of <c>genesis.json</c> (docs/operations.md). Every member is nullable so that a
/// missing field is reported by name instead of silently taking a default: a default that changes
/// between releases must never change what a chain is.
/// </summary>
internal sealed class GenesisDocument
{
    public string? Format { get; set; }

    public string? ChainName { get; set; }

    public ulong? GenesisTimeMs { get; set; }

    public ulong? EpochLengthBlocks { get; set; }

    public long? BaseRoundTimeoutMs { get; set; }

    public int? MaxTransactionsPerBlock { get; set; }

    public WeightRulesDocument? VotingWeightRules { get; set; }

    public QuorumRulesDocument? AdaptiveQuorumRules { get; set; }

    public LedgerRulesDocument? LedgerRules { get; set; }

    public List<ValidatorDocument?>? Validators { get; set; }
}
