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
public sealed class MLDsa87KeyCache
{
    /// <summary>64 MiB: about 960 expanded keys.</summary>
    public const long DefaultCapacityBytes = 64L << 20;

    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, LinkedListNode<MLDsa87Verifier>> _byHash = [];
    private readonly LinkedList<MLDsa87Verifier> _recency = new();
    private readonly ulong _hashSeed;
    private long _hits;
    private long _misses;
    private long _evictions;

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
        TryGet(publicKey, out var verifier) && verifier.Verify(message, context, signature);

    /// <summary>The verifier for <paramref name="publicKey"/>, expanding and caching it on a miss; false only for a wrong length.</summary>
    public bool TryGet(ReadOnlySpan<byte> publicKey, [MaybeNullWhen(false)] out MLDsa87Verifier verifier)
    {
        if (publicKey.Length != MLDsa87.PublicKeySize)
        {
            verifier = null;
            return false;
        }

        var hash = Hash(publicKey);
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
        var created = new MLDsa87Verifier(publicKey);
        lock (_gate)
        {
            if (_byHash.TryGetValue(hash, out var node))
            {
                if (node.Value.IsFor(publicKey))
                {
                    // Another thread expanded the same key meanwhile: keep one copy.
                    verifier = node.Value;
                    return true;
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

        verifier = created;
        return true;
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
