using System.Buffers.Binary;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Storage.State;

/// <summary>
/// A 32-byte key of replicated state: SHA3-256 over a domain tag, the owner's
/// <see cref="StateNamespace"/> and the subject's identity. Hashing spreads keys evenly over the
/// store's shards and makes keys of different namespaces collide only with negligible probability,
/// whatever the identities look like.
/// </summary>
public readonly struct StateKey : IEquatable<StateKey>
{
    private static ReadOnlySpan<byte> Domain => "cretoai-fast/state-key/v1"u8;

    private StateKey(Hash32 value) => Value = value;

    /// <summary>The key bytes as stored.</summary>
    public Hash32 Value { get; }

    /// <summary>The key of <paramref name="id"/> in <paramref name="ns"/>.</summary>
    public static StateKey For(StateNamespace ns, Hash32 id)
    {
        Span<byte> bytes = stackalloc byte[Hash32.Size];
        id.CopyTo(bytes);
        return For(ns, bytes);
    }

    /// <summary>The key of a numbered record (e.g. a singleton at 0) in <paramref name="ns"/>.</summary>
    public static StateKey For(StateNamespace ns, ulong number)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, number);
        return For(ns, bytes);
    }

    /// <summary>The key of an identity of up to 256 bytes in <paramref name="ns"/>.</summary>
    public static StateKey For(StateNamespace ns, ReadOnlySpan<byte> id)
    {
        if (id.Length > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id.Length, "A state key identity is at most 256 bytes.");
        }

        Span<byte> input = stackalloc byte[Domain.Length + 1 + id.Length];
        Domain.CopyTo(input);
        input[Domain.Length] = (byte)ns;
        id.CopyTo(input[(Domain.Length + 1)..]);
        Span<byte> digest = stackalloc byte[Hash32.Size];
        Sha3.Hash256(input, digest);
        return new StateKey(new Hash32(digest));
    }

    public bool Equals(StateKey other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is StateKey other && Equals(other);

    public override int GetHashCode() => Value.GetHashCode();

    public static bool operator ==(StateKey left, StateKey right) => left.Equals(right);

    public static bool operator !=(StateKey left, StateKey right) => !left.Equals(right);

    public override string ToString() => Value.ToShortString();
}
