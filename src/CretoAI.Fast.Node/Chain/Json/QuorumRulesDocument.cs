namespace CretoAI.Fast.Node.Chain.Json;

/// <summary><c>adaptive_quorum_rules</c> in genesis.json.</summary>
internal sealed class QuorumRulesDocument
{
    public ulong? ByzantineWindowMs { get; set; }

    public ulong? CalmPeriodMs { get; set; }

    public uint? ElevatedByzantinePercent { get; set; }

    public uint? HighByzantinePercent { get; set; }

    public uint? ElevatedStabilityPpm { get; set; }

    public uint? HighStabilityPpm { get; set; }

    public ulong? ActivationDelay { get; set; }

    public uint? StabilityWindowRounds { get; set; }
}
