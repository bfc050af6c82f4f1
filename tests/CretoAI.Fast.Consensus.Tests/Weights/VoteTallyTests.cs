using CretoAI.Fast.Consensus.Weights;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests.Weights;

public class VoteTallyTests
{
    private static readonly Gen<(ulong[] Bitmap, ulong[] Weights)> VoteSets =
        Gen.Int[0, 400].SelectMany(n => Gen.Select(
            Gen.Frequency((3, Gen.ULong), (1, Gen.OneOfConst(0UL, ulong.MaxValue, 0x5555_5555_5555_5555UL))).Array[VoteTally.WordCount(n)],
            Gen.Frequency((3, Gen.ULong[0, 200_000_000]), (1, Gen.ULong)).Array[n]));

    [Fact]
    public void Every_kernel_gives_the_naive_sum_including_stray_bits_and_wrapping() =>
        VoteSets.Sample(v =>
        {
            var expected = 0UL;
            for (var i = 0; i < v.Weights.Length; i++)
            {
                if ((v.Bitmap[i >> 6] >> (i & 63) & 1) != 0)
                {
                    expected += v.Weights[i];
                }
            }

            Assert.Equal(expected, VoteTally.Tally(v.Bitmap, v.Weights, SimdPath.Scalar));
            Assert.Equal(expected, VoteTally.Tally(v.Bitmap, v.Weights, SimdPath.Vector256));
            Assert.Equal(expected, VoteTally.Tally(v.Bitmap, v.Weights, SimdPath.Vector512));
            Assert.Equal(expected, VoteTally.Tally(v.Bitmap, v.Weights));
        }, iter: 500);

    [Fact]
    public void Signer_count_and_stray_bits_are_reported()
    {
        ulong[] bitmap = [ulong.MaxValue, 0b1011];
        Assert.Equal(66, VoteTally.CountSigners(bitmap, 66));
        Assert.Equal(67, VoteTally.CountSigners(bitmap, 68));
        Assert.True(VoteTally.HasBitsBeyond(bitmap, 66));
        Assert.False(VoteTally.HasBitsBeyond([ulong.MaxValue, 0b1011], 68));
        Assert.False(VoteTally.HasBitsBeyond([ulong.MaxValue], 64));
        Assert.True(VoteTally.HasBitsBeyond([0, 1], 64));
    }

    [Fact]
    public void A_bitmap_of_the_wrong_length_is_rejected()
    {
        var weights = new ulong[65];
        Assert.Throws<ArgumentException>(() => VoteTally.Tally([1UL], weights));
        Assert.Throws<ArgumentException>(() => VoteTally.Tally([1UL, 0, 0], weights));
        Assert.Equal(0UL, VoteTally.Tally([], []));
    }

    [Fact]
    public void All_signers_of_150_validators_weigh_the_total()
    {
        var weights = Enumerable.Range(1, 150).Select(i => (ulong)i).ToArray();
        ulong[] all = [ulong.MaxValue, ulong.MaxValue, (1UL << 22) - 1];
        Assert.Equal(150UL * 151 / 2, VoteTally.Tally(all, weights));
    }
}
