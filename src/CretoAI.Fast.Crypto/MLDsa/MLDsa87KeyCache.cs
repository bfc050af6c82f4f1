using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// A bounded cache of <see cref="MLDsa87Verifier"/>s keyed by the public key's hash, evicting the
/// least recently used when the retained bytes would exceed the capacity. Lookups compare the
/// full key bytes, so a hash collision only costs a miss. Thread-safe: one short lock covers the
/// lookup and the LRU update; expanding a missing key happens outside the lock. A warm
/// <see cref="Verify"/> allocates nothing.
/// </summary>
/// <remarks>
/// <see cref="Verify"/> caches a key only on its second sighting. The first time a key is seen it
/// is verified with the streaming, allocation-free path (<see cref="MLDsa87.Verify"/>, which
/// expands the matrix row by row on the stack) and only its hash is noted in a small
/// direct-mapped "seen once" table. Expanding and keeping a key costs about one cold verification
/// plus 64 KB of heap; for keys used once (a fresh agent key per registration, say) that was pure
/// loss: each one allocated, evicted a key that is used again, and fed the GC. Keys used twice or
/// more (validators, agents that sign repeatedly) are cached from their second use as before.
/// <see cref="TryGet"/> always caches: a caller asking for the verifier means to keep using it.
/// </remarks>
public sealed class MLDsa87KeyCache
{
    /// <summary>64 MiB: about 960 expanded keys.</summary>
    public const long DefaultCapacityBytes = 64L << 20;

    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, LinkedListNode<MLDsa87Verifier>> _byHash = [];
    private readonly LinkedList<MLDsa87Verifier> _recency = new();
    private readonly ulong _hashSeed;
    private readonly ulong[] _seenOnce = new ulong[SeenOnceSlots];
    private long _hits;
    private long _misses;
    private long _evictions;
    private long _firstSightings;

    /// <summary>Slots of the "seen once" table (a power of two): its hashes cost 32 KB.</summary>
    public const int SeenOnceSlots = 4096;

    public MLDsa87KeyCache(long capacityBytes = DefaultCapacityBytes)
    {
        if (capacityBytes < MLDsa87Verifier.RetainedBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(capacityBytes), capacityBytes, $"The cache must hold at least one expanded key ({MLDsa87Verifier.RetainedBytes} bytes).");
        }

        CapacityBytes = capacityBytes;
        Span<byte> seed = stackalloc byte[8];
        RandomBytes.Fill(seed);
        _hashSeed = BinaryPrimitives.ReadUInt64LittleEndian(seed);
    }

    /// <summary>A process-wide cache of the default size.</summary>
    public static MLDsa87KeyCache Shared { get; } = new();

    public long CapacityBytes { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byHash.Count;
            }
        }
    }

    public long SizeBytes => (long)Count * MLDsa87Verifier.RetainedBytes;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>ML-DSA.Verify through the cached expanded key; false (never throws) for any bad input.</summary>
    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature) =>
        TryVerifyKnown(publicKey, message, context, signature, out var verdict) ? verdict : MLDsa87.Verify(publicKey, message, context, signature);

    /// <summary>
    /// Verifies through the cache when the key needs no first-sighting work: a wrong length (false), a
    /// cached key, or a key seen once before (expanded and cached now). Otherwise notes the key in the
    /// "seen once" table and returns false, leaving the verification (without caching) to the caller.
    /// </summary>
    private bool TryVerifyKnown(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature, out bool verdict)
    {
        verdict = false;
        if (publicKey.Length != MLDsa87.PublicKeySize)
        {
            return true;
        }

        var hash = Hash(publicKey);
        if (TryGetCached(hash, publicKey, out var verifier))
        {
            verdict = verifier.Verify(message, context, signature);
            return true;
        }

        // A miss: cache the key only if it was seen before (its hash is in the table); otherwise
        // note it and verify without expanding it onto the heap. Racing threads may both take
        // either branch; each answer is still a full verification.
        ref var slot = ref _seenOnce[(int)(hash & (SeenOnceSlots - 1))];
        if (Volatile.Read(ref slot) == hash)
        {
            verdict = Expand(hash, publicKey).Verify(message, context, signature);
            return true;
        }

        Volatile.Write(ref slot, hash);
        Interlocked.Increment(ref _firstSightings);
        return false;
    }

    /// <summary>
    /// <see cref="Verify"/> for up to four items at once, with the same caching. The keys seen for the
    /// first time (verified without being cached) have their tr = H(pk, 64) hashed together, four
    /// SHAKE256 instances in one AVX2 permutation, instead of one after another: for a 2,592-byte key
    /// that is 20 of the ~30 Keccak permutations a cold verification does outside ExpandA.
    /// </summary>
    /// <param name="items">The batch; items <paramref name="start"/> .. start + <paramref name="count"/> (at most four) are verified.</param>
    /// <param name="start">First item.</param>
    /// <param name="count">Items, 1..4.</param>
    /// <param name="results">Verdicts of those items, in order.</param>
    [System.Runtime.CompilerServices.SkipLocalsInit]
    internal void VerifyFour(IReadOnlyList<MLDsa87BatchItem> items, int start, int count, Span<bool> results)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 4);
        Span<int> cold = stackalloc int[4];
        var colds = 0;
        for (var i = 0; i < count; i++)
        {
            var item = items[start + i];
            if (!TryVerifyKnown(item.PublicKey.Span, item.Message.Span, item.Context.Span, item.Signature.Span, out results[i]))
            {
                cold[colds++] = i;
            }
        }

        if (colds < 2 || !KeccakF1600x4.IsAccelerated)
        {
            for (var c = 0; c < colds; c++)
            {
                var item = items[start + cold[c]];
                results[cold[c]] = MLDsa87.Verify(item.PublicKey.Span, item.Message.Span, item.Context.Span, item.Signature.Span);
            }

            return;
        }

        const int TrBytes = 64;
        Span<byte> trs = stackalloc byte[4 * TrBytes];
        Sha3Batch.Shake256x64(
            items[start + cold[0]].PublicKey.Span,
            items[start + cold[1]].PublicKey.Span,
            colds > 2 ? items[start + cold[2]].PublicKey.Span : [],
            colds > 3 ? items[start + cold[3]].PublicKey.Span : [],
            colds,
            trs);
        for (var c = 0; c < colds; c++)
        {
            var item = items[start + cold[c]];
            results[cold[c]] = MLDsa87.VerifyWithTr(item.PublicKey.Span, trs.Slice(c * TrBytes, TrBytes), item.Message.Span, item.Context.Span, item.Signature.Span);
        }
    }

    /// <summary>Keys verified once without being cached (<see cref="Verify"/>'s first sighting).</summary>
    public long FirstSightings => Interlocked.Read(ref _firstSightings);

    /// <summary>The verifier for <paramref name="publicKey"/>, expanding and caching it on a miss; false only for a wrong length.</summary>
    public bool TryGet(ReadOnlySpan<byte> publicKey, [MaybeNullWhen(false)] out MLDsa87Verifier verifier)
    {
        if (publicKey.Length != MLDsa87.PublicKeySize)
        {
            verifier = null;
            return false;
        }

        var hash = Hash(publicKey);
        verifier = TryGetCached(hash, publicKey, out var cached) ? cached : Expand(hash, publicKey);
        return true;
    }

    private bool TryGetCached(ulong hash, ReadOnlySpan<byte> publicKey, [MaybeNullWhen(false)] out MLDsa87Verifier verifier)
    {
        lock (_gate)
        {
            if (_byHash.TryGetValue(hash, out var node) && node.Value.IsFor(publicKey))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                _hits++;
                verifier = node.Value;
                return true;
            }
        }

        Interlocked.Increment(ref _misses);
        verifier = null;
        return false;
    }

    /// <summary>Expands <paramref name="publicKey"/> and caches it (evicting the least recently used as needed).</summary>
    private MLDsa87Verifier Expand(ulong hash, ReadOnlySpan<byte> publicKey)
    {
        var created = new MLDsa87Verifier(publicKey);
        lock (_gate)
        {
            if (_byHash.TryGetValue(hash, out var node))
            {
                if (node.Value.IsFor(publicKey))
                {
                    // Another thread expanded the same key meanwhile: keep one copy.
                    return node.Value;
                }

                // A different key with the same 64-bit hash: the newer one takes the slot.
                _recency.Remove(node);
                _byHash.Remove(hash);
            }

            while ((long)(_byHash.Count + 1) * MLDsa87Verifier.RetainedBytes > CapacityBytes && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _byHash.Remove(Hash(oldest.Value.PublicKey));
                _evictions++;
            }

            _byHash[hash] = _recency.AddFirst(created);
        }

        return created;
    }

    /// <summary>
    /// A seeded 64-bit hash of the whole key (four multiply-rotate lanes over 8-byte words). Only
    /// spreads keys over buckets: equality is decided on the bytes. The random seed keeps an
    /// outsider from choosing keys that collide.
    /// </summary>
    private ulong Hash(ReadOnlySpan<byte> publicKey)
    {
        const ulong prime1 = 0x9E3779B185EBCA87UL;
        const ulong prime2 = 0xC2B2AE3D27D4EB4FUL;
        ulong h0 = _hashSeed, h1 = _hashSeed ^ prime1, h2 = _hashSeed ^ prime2, h3 = ~_hashSeed;
        var i = 0;
        for (; i + 32 <= publicKey.Length; i += 32)
        {
            h0 = BitOperations.RotateLeft(h0 ^ (BinaryPrimitives.ReadUInt64LittleEndian(publicKey[i..]) * prime2), 31) * prime1;
            h1 = BitOperations.RotateLeft(h1 ^ (BinaryPrimitives.ReadUInt64LittleEndian(publicKey[(i + 8)..]) * prime2), 31) * prime1;
            h2 = BitOperations.RotateLeft(h2 ^ (BinaryPrimitives.ReadUInt64LittleEndian(publicKey[(i + 16)..]) * prime2), 31) * prime1;
            h3 = BitOperations.RotateLeft(h3 ^ (BinaryPrimitives.ReadUInt64LittleEndian(publicKey[(i + 24)..]) * prime2), 31) * prime1;
        }

        for (; i < publicKey.Length; i++)
        {
            h0 = BitOperations.RotateLeft(h0 ^ (publicKey[i] * prime2), 11) * prime1;
        }

        var h = BitOperations.RotateLeft(h0, 1) + BitOperations.RotateLeft(h1, 7) + BitOperations.RotateLeft(h2, 12) + BitOperations.RotateLeft(h3, 18);
        h ^= h >> 33;
        h *= prime2;
        h ^= h >> 29;
        return h;
    }
}
