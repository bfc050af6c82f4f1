using CretoAI.Fast.Core;

namespace CretoAI.Fast.Storage.State;

/// <summary>
/// <see cref="IReplicatedState"/> in a dictionary: for tests, the simulator and tools. Same digest as
/// the store-backed state for the same entries. <see cref="Entries"/> lists everything in key order,
/// so two instances can be compared byte for byte.
/// </summary>
public sealed class MemoryReplicatedState : IReplicatedState
{
    private readonly Dictionary<Hash32, byte[]> _entries = [];
    private StateDigest _digest;

    public StateDigest Digest => _digest;

    /// <summary>The digest as of the last <see cref="Seal"/>.</summary>
    public StateDigest SealedDigest { get; private set; }

    public int Count => _entries.Count;

    public bool TryRead(StateKey key, Span<byte> destination, out int length)
    {
        if (!_entries.TryGetValue(key.Value, out var value))
        {
            length = 0;
            return false;
        }

        if (value.Length > destination.Length)
        {
            throw new InvalidOperationException($"State value of {key} is {value.Length} bytes; the caller's buffer holds {destination.Length}.");
        }

        value.CopyTo(destination);
        length = value.Length;
        return true;
    }

    public void Write(StateKey key, ReadOnlySpan<byte> value)
    {
        if (_entries.TryGetValue(key.Value, out var old))
        {
            _digest.Remove(key, old);
        }

        _entries[key.Value] = value.ToArray();
        _digest.Add(key, value);
    }

    public void Remove(StateKey key)
    {
        if (_entries.Remove(key.Value, out var old))
        {
            _digest.Remove(key, old);
        }
    }

    public void Seal() => SealedDigest = _digest;

    /// <summary>Every entry as (key, value), ordered by key bytes.</summary>
    public IReadOnlyList<(Hash32 Key, byte[] Value)> Entries()
    {
        var list = new List<(Hash32 Key, byte[] Value)>(_entries.Count);
        foreach (var pair in _entries)
        {
            list.Add((pair.Key, pair.Value));
        }

        list.Sort((a, b) => string.CompareOrdinal(a.Key.ToString(), b.Key.ToString()));
        return list;
    }
}
