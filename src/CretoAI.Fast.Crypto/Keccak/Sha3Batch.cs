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
        Span<byte> out4 = stackalloc byte[4 * Hash32.Size];
        AbsorbGroup(m0, m1, m2, m3, Sha3Padding, Hash32.Size, digests.Length, out4);
        for (var lane = 0; lane < digests.Length; lane++)
        {
            digests[lane] = new Hash32(out4.Slice(lane * Hash32.Size, Hash32.Size));
        }
    }

    /// <summary>
    /// SHAKE256 of up to four messages at once, 64 bytes each (ML-DSA's tr = H(pk, 64)), written to
    /// <paramref name="outputs"/> at 64 × i for message i. <paramref name="count"/> messages (2..4) are
    /// hashed; the rest of the four are ignored. Needs <see cref="KeccakF1600x4.IsAccelerated"/>.
    /// </summary>
    internal static void Shake256x64(ReadOnlySpan<byte> m0, ReadOnlySpan<byte> m1, ReadOnlySpan<byte> m2, ReadOnlySpan<byte> m3, int count, Span<byte> outputs) =>
        AbsorbGroup(m0, m1, m2, m3, ShakePadding, 64, count, outputs);

    private const byte Sha3Padding = 0x06;
    private const byte ShakePadding = 0x1F;

    // Absorbs four messages in parallel (lanes past count are padding only) and writes the first
    // outputBytes (at most one rate block) of each of the first count lanes to outputs.
    [SkipLocalsInit]
    private static void AbsorbGroup(ReadOnlySpan<byte> m0, ReadOnlySpan<byte> m1, ReadOnlySpan<byte> m2, ReadOnlySpan<byte> m3, byte padding, int outputBytes, int count, Span<byte> outputs)
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
            var s0 = Block(m0, b0, block, padding, tails[..Rate]);
            var s1 = Block(m1, b1, block, padding, tails.Slice(Rate, Rate));
            var s2 = Block(m2, b2, block, padding, tails.Slice(2 * Rate, Rate));
            var s3 = Block(m3, b3, block, padding, tails.Slice(3 * Rate, Rate));
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
            for (var lane = 0; lane < count; lane++)
            {
                if (block + 1 == lane switch { 0 => b0, 1 => b1, 2 => b2, _ => b3 })
                {
                    Squeeze(lanes, lane, outputs.Slice(lane * outputBytes, outputBytes));
                }
            }
        }
    }

    private static int Blocks(ReadOnlySpan<byte> message) => (message.Length / Rate) + 1;

    /// <summary>Block <paramref name="index"/> of the message's padded stream (zeros past its end).</summary>
    private static ReadOnlySpan<byte> Block(ReadOnlySpan<byte> message, int blocks, int index, byte padding, Span<byte> tail)
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
            tail[rest.Length] ^= padding;
            tail[Rate - 1] ^= 0x80;
        }

        return tail;
    }

    private static void Squeeze(ReadOnlySpan<Vector256<ulong>> lanes, int lane, Span<byte> output)
    {
        for (var l = 0; l < output.Length / 8; l++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(output[(8 * l)..], lanes[l].GetElement(lane));
        }
    }
}
