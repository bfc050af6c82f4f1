using System.Buffers;
using System.Buffers.Binary;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Storage.State;

/// <summary>
/// An order-independent commitment to a set of key/value entries: the sum modulo 2^256 of
/// SHA3-256(domain, key, length, value) over all entries (an additive multiset hash). Adding and
/// removing an entry are O(1), so the digest follows every write without ever iterating the store,
/// and two replicas holding the same entries have the same digest whatever order they wrote them in.
/// It detects divergence between honest replicas; it is not meant to resist an adversary who chooses
/// millions of entries to forge a collision (document-level caveat, see docs/storage.md).
/// </summary>
public struct StateDigest : IEquatable<StateDigest>
{
    /// <summary>Bytes of <see cref="WriteTo"/>.</summary>
    public const int EncodedSize = 40;

    private static ReadOnlySpan<byte> EntryDomain => "cretoai-fast/state-entry/v1"u8;

    private static ReadOnlySpan<byte> DigestDomain => "cretoai-fast/state-digest/v1"u8;

    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Number of entries.</summary>
    public ulong Count { readonly get; private set; }

    /// <summary>The state hash reported to operators: SHA3-256 over the sum and the count.</summary>
    public readonly Hash32 Hash
    {
        get
        {
            Span<byte> input = stackalloc byte[DigestDomain.Length + EncodedSize];
            DigestDomain.CopyTo(input);
            WriteTo(input[DigestDomain.Length..]);
            Span<byte> digest = stackalloc byte[Hash32.Size];
            Sha3.Hash256(input, digest);
            return new Hash32(digest);
        }
    }

    /// <summary>Accounts for a new entry.</summary>
    public void Add(StateKey key, ReadOnlySpan<byte> value)
    {
        Span<byte> h = stackalloc byte[Hash32.Size];
        EntryHash(key, value, h);
        var carry = AddWord(ref _s0, BinaryPrimitives.ReadUInt64LittleEndian(h), 0);
        carry = AddWord(ref _s1, BinaryPrimitives.ReadUInt64LittleEndian(h[8..]), carry);
        carry = AddWord(ref _s2, BinaryPrimitives.ReadUInt64LittleEndian(h[16..]), carry);
        _ = AddWord(ref _s3, BinaryPrimitives.ReadUInt64LittleEndian(h[24..]), carry);
        Count++;
    }

    /// <summary>Accounts for an entry that goes away (it must have been added).</summary>
    public void Remove(StateKey key, ReadOnlySpan<byte> value)
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The state digest has no entries to remove.");
        }

        Span<byte> h = stackalloc byte[Hash32.Size];
        EntryHash(key, value, h);
        var borrow = SubtractWord(ref _s0, BinaryPrimitives.ReadUInt64LittleEndian(h), 0);
        borrow = SubtractWord(ref _s1, BinaryPrimitives.ReadUInt64LittleEndian(h[8..]), borrow);
        borrow = SubtractWord(ref _s2, BinaryPrimitives.ReadUInt64LittleEndian(h[16..]), borrow);
        _ = SubtractWord(ref _s3, BinaryPrimitives.ReadUInt64LittleEndian(h[24..]), borrow);
        Count--;
    }

    /// <summary>Writes the sum (32 bytes) and the count (8 bytes), little-endian.</summary>
    public readonly void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, _s0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], _s1);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], _s2);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], _s3);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[32..], Count);
    }

    /// <summary>Reads what <see cref="WriteTo"/> wrote.</summary>
    public static StateDigest ReadFrom(ReadOnlySpan<byte> source)
    {
        if (source.Length < EncodedSize)
        {
            throw new ArgumentException($"A state digest is {EncodedSize} bytes, got {source.Length}.", nameof(source));
        }

        return new StateDigest
        {
            _s0 = BinaryPrimitives.ReadUInt64LittleEndian(source),
            _s1 = BinaryPrimitives.ReadUInt64LittleEndian(source[8..]),
            _s2 = BinaryPrimitives.ReadUInt64LittleEndian(source[16..]),
            _s3 = BinaryPrimitives.ReadUInt64LittleEndian(source[24..]),
            Count = BinaryPrimitives.ReadUInt64LittleEndian(source[32..]),
        };
    }

    public readonly bool Equals(StateDigest other) =>
        _s0 == other._s0 && _s1 == other._s1 && _s2 == other._s2 && _s3 == other._s3 && Count == other.Count;

    public override readonly bool Equals(object? obj) => obj is StateDigest other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(_s0, Count);

    public static bool operator ==(StateDigest left, StateDigest right) => left.Equals(right);

    public static bool operator !=(StateDigest left, StateDigest right) => !left.Equals(right);

    public override readonly string ToString() => $"{Hash.ToShortString()} ({Count} entries)";

    private static void EntryHash(StateKey key, ReadOnlySpan<byte> value, Span<byte> digest)
    {
        var size = EntryDomain.Length + Hash32.Size + 4 + value.Length;
        byte[]? rented = null;
        var input = size <= 1024 ? stackalloc byte[size] : (rented = ArrayPool<byte>.Shared.Rent(size)).AsSpan(0, size);
        try
        {
            EntryDomain.CopyTo(input);
            key.Value.CopyTo(input[EntryDomain.Length..]);
            BinaryPrimitives.WriteInt32LittleEndian(input[(EntryDomain.Length + Hash32.Size)..], value.Length);
            value.CopyTo(input[(EntryDomain.Length + Hash32.Size + 4)..]);
            Sha3.Hash256(input, digest);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static ulong AddWord(ref ulong word, ulong addend, ulong carry)
    {
        var sum = word + addend;
        var c1 = sum < word ? 1UL : 0UL;
        var total = sum + carry;
        var c2 = total < sum ? 1UL : 0UL;
        word = total;
        return c1 | c2;
    }

    private static ulong SubtractWord(ref ulong word, ulong subtrahend, ulong borrow)
    {
        var diff = word - subtrahend;
        var b1 = word < subtrahend ? 1UL : 0UL;
        var total = diff - borrow;
        var b2 = diff < borrow ? 1UL : 0UL;
        word = total;
        return b1 | b2;
    }
}
