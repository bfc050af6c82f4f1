namespace CretoAI.Fast.Node.Chain.Json;

/// <summary><c>ledger_rules</c> in genesis.json.</summary>
internal sealed class LedgerRulesDocument
{
    public ulong? ParticipationWindowBlocks { get; set; }

    public uint? DowntimeWindows { get; set; }

    public StakeRulesDocument? Stake { get; set; }

    public ReputationRulesDocument? Reputation { get; set; }
}
