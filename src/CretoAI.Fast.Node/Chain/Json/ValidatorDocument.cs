namespace CretoAI.Fast.Node.Chain.Json;

/// <summary>One entry of <c>validators</c> in genesis.json.</summary>
internal sealed class ValidatorDocument
{
    public string? Name { get; set; }

    public string? PublicKey { get; set; }

    public ulong? Stake { get; set; }

    public ulong? Balance { get; set; }

    public uint? ReputationPpm { get; set; }
}
