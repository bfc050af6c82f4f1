using System.Buffers.Binary;
using System.Numerics;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Routing.Registry;

/// <summary>
/// The registry's in-memory hot set: a fixed number of slots, each holding the snapshot of one
/// recently used agent (direct-mapped by a seeded hash of the agent id, so the memory held is bounded by
/// the slot count, whatever the number of agents). Reads are one array load and an id compare, with no
/// lock and no allocation, from any thread.
/// <para>
/// Coherence with the one writer (the registry applying blocks): the writer stores a record in the
/// replicated state first and then puts a new snapshot in the slot unconditionally. A reader that missed
/// remembers what the slot held before reading the state, and fills the slot only by compare-and-swap
/// against that: if the writer's snapshot landed in between, the swap fails and the possibly older value
/// the reader fetched is returned (it was current when read) but never cached. Slots only ever go from one
/// snapshot object to a new one, so the swap cannot be fooled by a slot that went away and came back.
/// Absence is not cached: a registration needs no slot update, since nobody can have cached the id.
/// </para>
/// </summary>
internal sealed class AgentHotSet
{
    private readonly AgentSnapshot?[] _slots;
    private readonly int _shift;
    private readonly ulong _multiplier;
    private long _fills;

    /// <param name="capacity">Number of slots, a power of two.</param>
    public AgentHotSet(int capacity)
    {
        if (capacity < 2 || !BitOperations.IsPow2(capacity))
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The hot set capacity is a power of two, at least 2.");
        }

        _slots = new AgentSnapshot?[capacity];
        _shift = 64 - BitOperations.Log2((uint)capacity);
        Span<byte> seed = stackalloc byte[8];
        RandomBytes.Fill(seed);

        // A secret odd multiplier: an outsider grinding keys cannot aim them at one slot to evict a victim.
        _multiplier = BinaryPrimitives.ReadUInt64LittleEndian(seed) | 1;
    }

    public int Capacity => _slots.Length;

    /// <summary>Snapshots fetched from the state and cached by readers (the number of cold lookups that filled a slot).</summary>
    public long Fills => Interlocked.Read(ref _fills);

    /// <summary>Snapshots currently held (counts the slots; for diagnostics).</summary>
    public int Count
    {
        get
        {
            var count = 0;
            foreach (var slot in _slots)
            {
                count += slot is null ? 0 : 1;
            }

            return count;
        }
    }

    /// <summary>The cached snapshot of <paramref name="agentId"/>, or null; <paramref name="observed"/> is the slot's content, for <see cref="TryFill"/>.</summary>
    public AgentSnapshot? Find(in Hash32 agentId, out AgentSnapshot? observed)
    {
        observed = Volatile.Read(ref _slots[SlotOf(agentId)]);
        return observed is not null && observed.AgentId == agentId ? observed : null;
    }

    /// <summary>A reader caches what it fetched, unless the slot changed since it looked (<see cref="Find"/>).</summary>
    public void TryFill(AgentSnapshot fetched, AgentSnapshot? observed)
    {
        if (Interlocked.CompareExchange(ref _slots[SlotOf(fetched.AgentId)], fetched, observed) == observed)
        {
            Interlocked.Increment(ref _fills);
        }
    }

    /// <summary>The writer publishes an agent's new record (after writing it to the state).</summary>
    public void Publish(AgentSnapshot written) => Volatile.Write(ref _slots[SlotOf(written.AgentId)], written);

    private int SlotOf(in Hash32 agentId) => (int)(((ulong)(uint)agentId.GetHashCode() * _multiplier) >> _shift);
}
