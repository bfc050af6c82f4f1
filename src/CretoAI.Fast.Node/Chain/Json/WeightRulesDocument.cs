namespace CretoAI.Fast.Node.Chain.Json;

/// <summary><c>voting_weight_rules</c> in genesis.json.</summary>
internal sealed class WeightRulesDocument
{
    public ulong? MinimumStake { get; set; }

    public uint? MinimumUptimePpm { get; set; }

    public uint? CapPercent { get; set; }
}
