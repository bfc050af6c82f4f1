using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace CretoAI.Fast.Storage;

/// <summary>
/// Maps a key to a shard. Keys are often hashes already, but registry or index keys may not be, so the
/// bytes are mixed (multiply-xorshift over 8-byte words) before the range reduction. The mapping is part of
/// the on-disk format: changing it strands every stored key, so it is pinned by a known-answer test.
/// </summary>
public static class ShardRouter
{
    private const ulong Multiplier = 0x9E37_79B9_7F4A_7C15UL;

    /// <summary>64-bit hash of <paramref name="key"/>.</summary>
    public static ulong Hash(ReadOnlySpan<byte> key)
    {
        var h = (ulong)key.Length * Multiplier;
        var offset = 0;
        for (; key.Length - offset >= 8; offset += 8)
        {
            h = Mix(h ^ BinaryPrimitives.ReadUInt64LittleEndian(key[offset..]));
        }

        if (offset < key.Length)
        {
            ulong tail = 0;
            for (var i = key.Length - 1; i >= offset; i--)
            {
                tail = (tail << 8) | key[i];
            }

            h = Mix(h ^ tail);
        }

        return h;
    }

    /// <summary>Shard index in [0, <paramref name="shardCount"/>) for <paramref name="key"/>.</summary>
    public static int ShardOf(ReadOnlySpan<byte> key, int shardCount) =>
        (int)Math.BigMul(Hash(key), (ulong)shardCount, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong x)
    {
        x *= Multiplier;
        x ^= x >> 29;
        x *= 0xBF58_476D_1CE4_E5B9UL;
        return x ^ (x >> 32);
    }
}
