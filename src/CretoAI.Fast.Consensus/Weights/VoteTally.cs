using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CretoAI.Fast.Consensus.Weights;

/// <summary>
/// Weight of a vote set: the sum of the weights of the validators whose bit is set in a signer bitmap
/// (bit i of word i/64, least significant bit first, validators in validator-set order). The vector kernels
/// turn each byte (Vector512) or nibble (Vector256) of the bitmap into a lane mask and add the masked
/// weights; the scalar kernel walks the set bits. Both give the same sum (property-tested).
/// </summary>
public static class VoteTally
{
    /// <summary>Bitmap words needed for <paramref name="validatorCount"/> validators.</summary>
    public static int WordCount(int validatorCount) => (validatorCount + 63) >> 6;

    /// <summary>
    /// True when a bit is set at or beyond <paramref name="validatorCount"/>: a malformed signer bitmap
    /// that a certificate decoder should reject (the tally itself ignores such bits).
    /// </summary>
    public static bool HasBitsBeyond(ReadOnlySpan<ulong> signerBitmap, int validatorCount)
    {
        var fullWords = validatorCount >> 6;
        for (var i = fullWords; i < signerBitmap.Length; i++)
        {
            var word = signerBitmap[i];
            if (i == fullWords && (validatorCount & 63) != 0)
            {
                word &= ~((1UL << (validatorCount & 63)) - 1);
            }

            if (word != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Number of signers (set bits below <paramref name="validatorCount"/>).</summary>
    public static int CountSigners(ReadOnlySpan<ulong> signerBitmap, int validatorCount)
    {
        CheckLength(signerBitmap, validatorCount);
        var count = 0;
        for (var i = 0; i < signerBitmap.Length; i++)
        {
            count += BitOperations.PopCount(signerBitmap[i] & ValidMask(i, validatorCount));
        }

        return count;
    }

    /// <summary>
    /// Σ weights[i] over the set bits i. <paramref name="signerBitmap"/> must have exactly
    /// <see cref="WordCount"/>(weights.Length) words; bits beyond the last validator are ignored. The sum
    /// wraps modulo 2^64 in every kernel alike (unreachable with weights from <see cref="VotingWeights"/>,
    /// whose total is about 10^9).
    /// </summary>
    /// <exception cref="ArgumentException">The bitmap has the wrong number of words.</exception>
    public static ulong Tally(ReadOnlySpan<ulong> signerBitmap, ReadOnlySpan<ulong> weights) => Tally(signerBitmap, weights, SimdPath.Auto);

    internal static ulong Tally(ReadOnlySpan<ulong> signerBitmap, ReadOnlySpan<ulong> weights, SimdPath path)
    {
        CheckLength(signerBitmap, weights.Length);
        return SimdPathSelector.Resolve(path) switch
        {
            SimdPath.Vector512 => Tally512(signerBitmap, weights),
            SimdPath.Vector256 => Tally256(signerBitmap, weights),
            _ => TallyScalar(signerBitmap, weights, 0),
        };
    }

    private static void CheckLength(ReadOnlySpan<ulong> signerBitmap, int validatorCount)
    {
        if (signerBitmap.Length != WordCount(validatorCount))
        {
            throw new ArgumentException($"A signer bitmap for {validatorCount} validators has {WordCount(validatorCount)} words, got {signerBitmap.Length}.", nameof(signerBitmap));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ValidMask(int word, int validatorCount)
    {
        var bitsLeft = validatorCount - (word << 6);
        return bitsLeft >= 64 ? ulong.MaxValue : (1UL << bitsLeft) - 1;
    }

    /// <summary>Walks the set bits from validator <paramref name="start"/> (a multiple of 64 or the vector tail).</summary>
    private static ulong TallyScalar(ReadOnlySpan<ulong> signerBitmap, ReadOnlySpan<ulong> weights, int start)
    {
        var sum = 0UL;
        for (var word = start >> 6; word < signerBitmap.Length; word++)
        {
            var bits = signerBitmap[word] & ValidMask(word, weights.Length);
            var firstBit = word << 6;
            if (firstBit < start)
            {
                bits &= ulong.MaxValue << (start - firstBit);
            }

            while (bits != 0)
            {
                sum += weights[firstBit + BitOperations.TrailingZeroCount(bits)];
                bits &= bits - 1;
            }
        }

        return sum;
    }

    private static ulong Tally512(ReadOnlySpan<ulong> signerBitmap, ReadOnlySpan<ulong> weights)
    {
        ref var w0 = ref MemoryMarshal.GetReference(weights);
        var laneBits = Vector512.Create(1UL, 2, 4, 8, 16, 32, 64, 128);
        var sum = Vector512<ulong>.Zero;
        var i = 0;
        for (; i <= weights.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
        {
            var bits = (signerBitmap[i >> 6] >> (i & 63)) & 0xFF;
            if (bits == 0)
            {
                continue;
            }

            var selected = Vector512.Equals(Vector512.Create(bits) & laneBits, laneBits);
            sum += Vector512.LoadUnsafe(ref w0, (nuint)i) & selected;
        }

        return Vector512.Sum(sum) + TallyScalar(signerBitmap, weights, i);
    }

    private static ulong Tally256(ReadOnlySpan<ulong> signerBitmap, ReadOnlySpan<ulong> weights)
    {
        ref var w0 = ref MemoryMarshal.GetReference(weights);
        var laneBits = Vector256.Create(1UL, 2, 4, 8);
        var sum = Vector256<ulong>.Zero;
        var i = 0;
        for (; i <= weights.Length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
        {
            var bits = (signerBitmap[i >> 6] >> (i & 63)) & 0xF;
            if (bits == 0)
            {
                continue;
            }

            var selected = Vector256.Equals(Vector256.Create(bits) & laneBits, laneBits);
            sum += Vector256.LoadUnsafe(ref w0, (nuint)i) & selected;
        }

        return Vector256.Sum(sum) + TallyScalar(signerBitmap, weights, i);
    }
}
