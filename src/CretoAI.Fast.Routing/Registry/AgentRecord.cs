using CretoAI.Fast.Core;

namespace CretoAI.Fast.Routing.Registry;

/// <summary>One registered agent as the committed chain has it (a copy: changing it changes nothing).</summary>
public sealed class AgentRecord
{
    internal AgentRecord(Hash32 agentId, byte[] publicKey, string displayName, string[] tags, AgentStatus status, ulong registeredAtHeight, ulong updatedAtHeight)
    {
        AgentId = agentId;
        PublicKey = publicKey;
        DisplayName = displayName;
        Tags = tags;
        Status = status;
        RegisteredAtHeight = registeredAtHeight;
        UpdatedAtHeight = updatedAtHeight;
    }

    /// <summary>SHA3-256 of <see cref="PublicKey"/>.</summary>
    public Hash32 AgentId { get; }

    /// <summary>The agent's ML-DSA-87 public key (2,592 bytes): it signed the registration.</summary>
    public ReadOnlyMemory<byte> PublicKey { get; }

    public string DisplayName { get; }

    public IReadOnlyList<string> Tags { get; }

    public AgentStatus Status { get; }

    /// <summary>Height of the block that registered the agent.</summary>
    public ulong RegisteredAtHeight { get; }

    /// <summary>Height of the block that last changed the record (registration, update, status change).</summary>
    public ulong UpdatedAtHeight { get; }

    public override string ToString() => $"Agent({AgentId.ToShortString()} '{DisplayName}' {Status})";
}
