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
    }

    public Hash32 AgentId { get; }

    /// <summary>The stored record bytes (layout in <see cref="AgentRegistry"/>), already checked.</summary>
    public byte[] Record { get; }

    public AgentStatus Status => (AgentStatus)Record[1];

    public ulong RegisteredAtHeight => BinaryPrimitives.ReadUInt64LittleEndian(Record.AsSpan(2));

    public ulong UpdatedAtHeight => BinaryPrimitives.ReadUInt64LittleEndian(Record.AsSpan(10));
}
