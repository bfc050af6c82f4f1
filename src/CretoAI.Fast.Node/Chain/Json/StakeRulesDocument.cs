namespace CretoAI.Fast.Node.Chain.Json;

/// <summary><c>ledger_rules.stake</c> in genesis.json.</summary>
internal sealed class StakeRulesDocument
{
    public ulong? MinimumBond { get; set; }

    public ulong? MaximumBond { get; set; }

    public ulong? BondLockMs { get; set; }

    public ulong? UnbondingPeriodMs { get; set; }

    public int? EquivocationSlashPercent { get; set; }

    public int? DoubleSignCommitSlashPercent { get; set; }

    public int? InvalidBlockSlashPercent { get; set; }

    public int? InvalidSignatureSlashPercent { get; set; }

    public int? ProlongedDowntimeSlashPercent { get; set; }

    public int? MissedProposalSlashPercent { get; set; }

    public int? MissedVoteSlashPercent { get; set; }

    public int? MaxPendingEntries { get; set; }

    public int? HistoryLength { get; set; }

    public int? MaxAccounts { get; set; }
}
