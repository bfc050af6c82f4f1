namespace CretoAI.Fast.Routing.Router;

/// <summary>
/// Remembers the most recent keys, at most <see cref="Capacity"/> of them and none older than the
/// window's age: the receiver-side deduplication of at-least-once delivery. A ring of keys in
/// insertion order plus a set; adding to a full window forgets the oldest. The ring starts small
/// and doubles as keys arrive (a node's windows are sized for peak load, tens of thousands of keys,
/// and allocating and zeroing them all up front was a visible part of start-up); no allocation once
/// it and the set have grown to the capacity. Not thread-safe.
/// </summary>
public sealed class DedupWindow<TKey>
    where TKey : IEquatable<TKey>
{
    private const int InitialRing = 256;

    private readonly HashSet<TKey> _set = [];
    private readonly long _maxAgeMs;
    private TKey[] _keys;
    private long[] _addedAt;
    private int _head;
    private int _count;

    public DedupWindow(int capacity, long maxAgeMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAgeMs, 1);
        Capacity = capacity;
        _keys = new TKey[Math.Min(capacity, InitialRing)];
        _addedAt = new long[_keys.Length];
        _maxAgeMs = maxAgeMs;
    }

    public int Capacity { get; }

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
            if (_keys.Length < Capacity)
            {
                Grow();
            }
            else
            {
                RemoveOldest();
            }
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

    /// <summary>Doubles the ring (up to the capacity), keeping the keys in insertion order from slot 0.</summary>
    private void Grow()
    {
        var size = (int)Math.Min((long)_keys.Length * 2, Capacity);
        var keys = new TKey[size];
        var addedAt = new long[size];
        var first = _keys.Length - _head;
        _keys.AsSpan(_head).CopyTo(keys);
        _keys.AsSpan(0, _head).CopyTo(keys.AsSpan(first));
        _addedAt.AsSpan(_head).CopyTo(addedAt);
        _addedAt.AsSpan(0, _head).CopyTo(addedAt.AsSpan(first));
        _keys = keys;
        _addedAt = addedAt;
        _head = 0;
    }

    private void RemoveOldest()
    {
        _set.Remove(_keys[_head]);
        _keys[_head] = default!;
        _head = (_head + 1) % _keys.Length;
        _count--;
    }
}
