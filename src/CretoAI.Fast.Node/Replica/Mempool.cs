using CretoAI.Fast.Core;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// Admitted transactions waiting for a block: bounded in count and bytes, deduplicated by
/// transaction id, first in first out. A full pool answers <see cref="SubmitStatus.Busy"/>; it never
/// grows past its bounds. Transactions stay until a committed block includes them: offered ones
/// that no committed block picked up (their proposal lost its round) are offered again after
/// <c>reofferAfterMs</c>; a transaction that lands twice is refused the second time by the ledger's
/// nonce rule, so re-offering is safe.
/// </summary>
/// <remarks>Thread-safe: submissions arrive from the admission worker, offers and removals from the consensus side.</remarks>
internal sealed class Mempool
{
    private const int RecentlyCommittedCapacity = 1 << 16;

    private readonly int _maxCount;
    private readonly long _maxBytes;
    private readonly Lock _lock = new();
    private readonly Dictionary<Hash32, LinkedListNode<Entry>> _byId = [];
    private readonly LinkedList<Entry> _waiting = new();
    private readonly LinkedList<Entry> _offered = new();
    private readonly HashSet<Hash32> _recentlyCommitted = [];
    private readonly Queue<Hash32> _recentOrder = new();
    private long _bytes;

    public Mempool(int maxCount, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        _maxCount = maxCount;
        _maxBytes = maxBytes;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byId.Count;
            }
        }
    }

    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>True when a transaction of <paramref name="size"/> bytes would not fit now (checked before spending a signature check on it).</summary>
    public bool IsFull(int size)
    {
        lock (_lock)
        {
            return _byId.Count >= _maxCount || _bytes + size > _maxBytes;
        }
    }

    public bool Contains(Hash32 id)
    {
        lock (_lock)
        {
            return _byId.ContainsKey(id) || _recentlyCommitted.Contains(id);
        }
    }

    /// <summary>
    /// Sets <c>held[i]</c> when transaction <c>ids[i]</c> is in the pool: admitted here, so its
    /// signature was verified by this node (the apply step then skips checking it again).
    /// </summary>
    public void MarkHeld(ReadOnlySpan<Hash32> ids, Span<bool> held)
    {
        lock (_lock)
        {
            for (var i = 0; i < ids.Length; i++)
            {
                held[i] = _byId.ContainsKey(ids[i]);
            }
        }
    }

    /// <summary>Admits a verified transaction.</summary>
    public SubmitStatus TryAdd(Hash32 id, byte[] envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        lock (_lock)
        {
            if (_byId.ContainsKey(id) || _recentlyCommitted.Contains(id))
            {
                return SubmitStatus.Duplicate;
            }

            if (_byId.Count >= _maxCount || _bytes + envelope.Length > _maxBytes)
            {
                return SubmitStatus.Busy;
            }

            _byId[id] = _waiting.AddLast(new Entry(id, envelope));
            _bytes += envelope.Length;
            return SubmitStatus.Accepted;
        }
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> transactions to offer the consensus engine: first ones
    /// offered more than <paramref name="reofferAfterMs"/> ago and still not committed, then new ones.
    /// </summary>
    public List<byte[]> TakeForOffer(int max, long nowMs, long reofferAfterMs)
    {
        var batch = new List<byte[]>(Math.Min(max, 256));
        lock (_lock)
        {
            while (batch.Count < max && _offered.First is { } stale && nowMs - stale.Value.OfferedAtMs >= reofferAfterMs)
            {
                _offered.RemoveFirst();
                stale.Value.OfferedAtMs = nowMs;
                _offered.AddLast(stale);
                batch.Add(stale.Value.Envelope);
            }

            while (batch.Count < max && _waiting.First is { } next)
            {
                _waiting.RemoveFirst();
                next.Value.OfferedAtMs = nowMs;
                _offered.AddLast(next);
                batch.Add(next.Value.Envelope);
            }
        }

        return batch;
    }

    /// <summary>Transactions not yet offered to consensus.</summary>
    public int WaitingCount
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Removes transactions a committed block carried and remembers their ids for a while (later resubmissions answer Duplicate).</summary>
    public void Committed(IReadOnlyList<Hash32> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (_lock)
        {
            foreach (var id in ids)
            {
                if (_byId.Remove(id, out var node))
                {
                    node.List!.Remove(node);
                    _bytes -= node.Value.Envelope.Length;
                }

                if (_recentlyCommitted.Add(id))
                {
                    _recentOrder.Enqueue(id);
                    if (_recentOrder.Count > RecentlyCommittedCapacity)
                    {
                        _recentlyCommitted.Remove(_recentOrder.Dequeue());
                    }
                }
            }
        }
    }

    private sealed class Entry(Hash32 id, byte[] envelope)
    {
        public Hash32 Id { get; } = id;

        public byte[] Envelope { get; } = envelope;

        public long OfferedAtMs { get; set; }
    }
}
