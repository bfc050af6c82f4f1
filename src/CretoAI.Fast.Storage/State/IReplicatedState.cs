namespace CretoAI.Fast.Storage.State;

/// <summary>
/// The key/value state every validator derives identically from the committed chain. The state
/// machines (reputation, stake, registry, ...) read and write only through this, so the same code
/// runs on the FASTER store in the node (<see cref="StoreReplicatedState"/>) and in memory in tests
/// and the simulator (<see cref="MemoryReplicatedState"/>). Every write updates
/// <see cref="Digest"/>, an order-independent commitment to all entries, so two replicas can compare
/// their whole state by one hash. Single writer: the node applies blocks from one thread.
/// </summary>
public interface IReplicatedState
{
    /// <summary>
    /// Copies the value of <paramref name="key"/> into <paramref name="destination"/>; false when the key is absent.
    /// </summary>
    /// <exception cref="InvalidOperationException">The value is longer than <paramref name="destination"/> (a caller's bug: record sizes are bounded by their owners).</exception>
    bool TryRead(StateKey key, Span<byte> destination, out int length);

    /// <summary>Inserts or replaces the value of <paramref name="key"/>.</summary>
    void Write(StateKey key, ReadOnlySpan<byte> value);

    /// <summary>Removes <paramref name="key"/>; no effect when absent.</summary>
    void Remove(StateKey key);

    /// <summary>Commitment to every entry written and not removed.</summary>
    StateDigest Digest { get; }

    /// <summary>
    /// Makes the digest part of the state (called once per applied block, before a checkpoint can be
    /// taken), so a replica recovered from a checkpoint resumes with the digest that belongs to it.
    /// </summary>
    void Seal();
}
