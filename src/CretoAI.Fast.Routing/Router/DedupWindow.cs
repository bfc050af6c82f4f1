namespace CretoAI.Fast.Routing.Router;

/// <summary>
/// Remembers the most recent keys, at most <see cref="Capacity"/> of them and none older than the
/// window's age: the receiver-side deduplication of at-least-once delivery. A ring of keys in
/// insertion order plus a set; adding to a full window forgets the oldest. No allocation once the
/// set has grown to its capacity. Not thread-safe.
/// </summary>
public sealed class DedupWindow<TKey>
    where TKey : IEquatable<TKey>
{
    private readonly TKey[] _keys;
    private readonly long[] _addedAt;
    private readonly HashSet<TKey> _set = [];
    private readonly long _maxAgeMs;
    private int _head;
    private int _count;

    public DedupWindow(int capacity, long maxAgeMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAgeMs, 1);
        _keys = new TKey[capacity];
        _addedAt = new long[capacity];
        _maxAgeMs = maxAgeMs;
    }

    public int Capacity => _keys.Length;

    public int Count => _count;

    /// <summary>True when <paramref name="key"/> was added within the window.</summary>
    public bool Contains(TKey key, long nowMs)
    {
        Forget(nowMs);
        return _set.Contains(key);
    }

    /// <summary>Adds <paramref name="key"/>; false (and nothing changes) when it is already in the window.</summary>
    public bool TryAdd(TKey key, long nowMs)
    {
        Forget(nowMs);
        if (_set.Contains(key))
        {
            return false;
        }

        if (_count == _keys.Length)
        {
            RemoveOldest();
        }

        var slot = (_head + _count) % _keys.Length;
        _keys[slot] = key;
        _addedAt[slot] = nowMs;
        _count++;
        _set.Add(key);
        return true;
    }

    private void Forget(long nowMs)
    {
        while (_count > 0 && nowMs - _addedAt[_head] > _maxAgeMs)
        {
            RemoveOldest();
        }
    }

    private void RemoveOldest()
    {
        _set.Remove(_keys[_head]);
        _keys[_head] = default!;
        _head = (_head + 1) % _keys.Length;
        _count--;
    }
}
