namespace CretoAI.Fast.Node.Chain.Json;

/// <summary><c>ledger_rules.reputation</c> in genesis.json.</summary>
internal sealed class ReputationRulesDocument
{
    public uint? StartPpm { get; set; }

    public int? BlockProposedPpm { get; set; }

    public int? VoteCastPpm { get; set; }

    public int? UptimeHeartbeatPpm { get; set; }

    public int? ReportConfirmedPpm { get; set; }

    public int? EquivocationPpm { get; set; }

    public int? DoubleSignCommitPpm { get; set; }

    public int? InvalidBlockPpm { get; set; }

    public int? InvalidSignaturePpm { get; set; }

    public int? ProlongedDowntimePpm { get; set; }

    public int? MissedProposalPpm { get; set; }

    public int? MissedVotePpm { get; set; }

    public ulong? HalfLifeMs { get; set; }

    public int? HistoryLength { get; set; }
}
