using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// SHA3-256 of many independent messages, four at a time on <see cref="KeccakF1600x4"/>: one AVX2
/// permutation advances four sponges for about 1.3× the cost of one scalar permutation, so hashing
/// the transactions of a block (hundreds of ~7 KB envelopes) costs about a third of hashing them one
/// by one. Each digest is exactly <see cref="Sha3.Hash256(ReadOnlySpan{byte})"/> of its message.
/// </summary>
/// <remarks>
/// Messages of a group may differ in length: each lane absorbs its own padded block stream
/// (FIPS 202 pad10*1 with the SHA3 domain bits 01), a lane whose stream has ended absorbs zero
/// blocks that are never read, and its digest is taken right after the permutation that follows its
/// last block. Without AVX2 (or with the scalar switch on) every message goes through the scalar
/// sponge.
/// </remarks>
public static class Sha3Batch
{
    private const int Rate = 136;
    private const int RateLanes = Rate / 8;

    /// <summary>Writes SHA3-256 of <c>messages[i]</c> to <c>digests[i]</c> for every i.</summary>
    public static void Hash256(IReadOnlyList<byte[]> messages, Span<Hash32> digests)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var slices = new ReadOnlyMemory<byte>[messages.Count];
        for (var i = 0; i < slices.Length; i++)
        {
            slices[i] = messages[i];
        }

        Hash256(slices, digests);
    }

    /// <summary>Writes SHA3-256 of <c>messages[i]</c> to <c>digests[i]</c> for every i (slices of larger buffers welcome).</summary>
    public static void Hash256(ReadOnlySpan<ReadOnlyMemory<byte>> messages, Span<Hash32> digests)
    {
        if (digests.Length < messages.Length)
        {
            throw new ArgumentException($"{messages.Length} messages need {messages.Length} digests; got room for {digests.Length}.", nameof(digests));
        }

        var i = 0;
        if (KeccakF1600x4.IsAccelerated)
        {
            for (; i + 1 < messages.Length; i += 4)
            {
                var count = Math.Min(4, messages.Length - i);
                HashGroup(
                    messages[i].Span,
                    messages[i + 1].Span,
                    count > 2 ? messages[i + 2].Span : [],
                    count > 3 ? messages[i + 3].Span : [],
                    digests.Slice(i, count));
            }
        }

        for (; i < messages.Length; i++)
        {
            digests[i] = Sha3.Hash256(messages[i].Span);
        }
    }

    [SkipLocalsInit]
    private static void HashGroup(ReadOnlySpan<byte> m0, ReadOnlySpan<byte> m1, ReadOnlySpan<byte> m2, ReadOnlySpan<byte> m3, Span<Hash32> digests)
    {
        KeccakLanes4 state = default;
        Span<Vector256<ulong>> lanes = state;
        Span<byte> tails = stackalloc byte[4 * Rate];
        var b0 = Blocks(m0);
        var b1 = Blocks(m1);
        var b2 = Blocks(m2);
        var b3 = Blocks(m3);
        var last = Math.Max(Math.Max(b0, b1), Math.Max(b2, b3));
        for (var block = 0; block < last; block++)
        {
            var s0 = Block(m0, b0, block, tails[..Rate]);
            var s1 = Block(m1, b1, block, tails.Slice(Rate, Rate));
            var s2 = Block(m2, b2, block, tails.Slice(2 * Rate, Rate));
            var s3 = Block(m3, b3, block, tails.Slice(3 * Rate, Rate));
            for (var l = 0; l < RateLanes; l++)
            {
                var at = 8 * l;
                lanes[l] ^= Vector256.Create(
                    BinaryPrimitives.ReadUInt64LittleEndian(s0[at..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(s1[at..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(s2[at..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(s3[at..]));
            }

            KeccakF1600x4.Permute(lanes);
            for (var lane = 0; lane < digests.Length; lane++)
            {
                if (block + 1 == lane switch { 0 => b0, 1 => b1, 2 => b2, _ => b3 })
                {
                    digests[lane] = Digest(lanes, lane);
                }
            }
        }
    }

    /// <summary>Blocks in the padded stream of a message: the padding always adds at least one byte.</summary>
    private static int Blocks(ReadOnlySpan<byte> message) => (message.Length / Rate) + 1;

    /// <summary>Block <paramref name="index"/> of the message's padded stream (zeros past its end).</summary>
    private static ReadOnlySpan<byte> Block(ReadOnlySpan<byte> message, int blocks, int index, Span<byte> tail)
    {
        var start = index * Rate;
        if (index < blocks - 1)
        {
            return message.Slice(start, Rate);
        }

        tail.Clear();
        if (index == blocks - 1)
        {
            var rest = message[start..];
            rest.CopyTo(tail);
            tail[rest.Length] ^= 0x06;
            tail[Rate - 1] ^= 0x80;
        }

        return tail;
    }

    [SkipLocalsInit]
    private static Hash32 Digest(ReadOnlySpan<Vector256<ulong>> lanes, int lane)
    {
        Span<byte> digest = stackalloc byte[Hash32.Size];
        for (var l = 0; l < 4; l++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(digest[(8 * l)..], lanes[l].GetElement(lane));
        }

        return new Hash32(digest);
    }
}
