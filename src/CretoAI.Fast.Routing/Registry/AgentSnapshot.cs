using System.Buffers.Binary;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Routing.Registry;

/// <summary>
/// One agent record as read from the replicated state, frozen: the hot set shares it between threads,
/// so nothing ever writes to <see cref="Record"/> after construction. A change to the agent makes a new
/// snapshot; readers holding the old one keep a consistent (older) view.
/// </summary>
internal sealed class AgentSnapshot
{
    public AgentSnapshot(Hash32 agentId, byte[] record)
    {
        AgentId = agentId;
        Record = record;

        // Kept beside the id, not only in the record: a status check (the router's admission test) then
        // touches one object, which the id compare has already brought into the cache.
        Status = (AgentStatus)record[1];
        RegisteredAtHeight = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(2));
        UpdatedAtHeight = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(10));
    }

    public Hash32 AgentId { get; }

    /// <summary>The stored record bytes (layout in <see cref="AgentRegistry"/>), already checked.</summary>
    public byte[] Record { get; }

    public AgentStatus Status { get; }

    public ulong RegisteredAtHeight { get; }

    public ulong UpdatedAtHeight { get; }
}
