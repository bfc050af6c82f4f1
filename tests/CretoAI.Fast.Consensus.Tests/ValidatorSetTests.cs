using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests;

public sealed class ValidatorSetTests
{
    private static ValidatorSet Equal(int n, ulong weight = 100) =>
        new(3, [.. Enumerable.Range(0, n).Select(i => FakeSignatureScheme.CreateSigner(i)).Select(s => new Validator(s.NodeId, s.PublicKey, weight))]);

    [Fact]
    public void Tally_sums_the_weights_of_set_bits_and_ignores_bits_past_the_end()
    {
        var set = new ValidatorSet(0, [.. Enumerable.Range(0, 70).Select(i => FakeSignatureScheme.CreateSigner(i)).Select((s, i) => new Validator(s.NodeId, s.PublicKey, (ulong)(i + 1)))]);
        ulong[] bitmap = [0b1011UL, (1UL << 5) | (1UL << 63)];
        Assert.Equal(1UL + 2 + 4 + 70, set.Tally(bitmap)); // bits 0,1,3 and 69; bit 127 is past the end
        Assert.Equal(2, set.BitmapWords);
        Assert.False(set.IsWellFormedBitmap(bitmap));
    }

    [Theory]
    [InlineData(4, ThreatLevel.Normal, 3)]
    [InlineData(4, ThreatLevel.Elevated, 3)]
    [InlineData(4, ThreatLevel.High, 4)]
    [InlineData(7, ThreatLevel.Normal, 5)]
    [InlineData(10, ThreatLevel.Normal, 7)]
    [InlineData(10, ThreatLevel.Elevated, 8)]
    [InlineData(10, ThreatLevel.High, 9)]
    [InlineData(150, ThreatLevel.Normal, 101)]
    public void Quorum_is_the_least_count_reaching_the_percentage(int n, ThreatLevel level, int needed)
    {
        var set = Equal(n);
        Assert.True(set.ReachesQuorum((ulong)needed * 100, level));
        Assert.False(set.ReachesQuorum((ulong)(needed - 1) * 100, level));
        Assert.Equal((ulong)needed * 100, RoundUpTo100(set.QuorumWeight(level)));
    }

    private static ulong RoundUpTo100(ulong w) => (w + 99) / 100 * 100;

    [Fact]
    public void Minimum_weight_agrees_with_the_reaches_rule()
    {
        Gen.Select(Gen.ULong[1, ulong.MaxValue / 200], Gen.ULong, Gen.Int[0, 2]).Sample((total, raw, l) =>
        {
            var level = (ThreatLevel)l;
            var weight = raw % (total + 1);
            var min = QuorumThreshold.MinimumWeight(total, level);
            return QuorumThreshold.IsReached(weight, total, level) == (weight >= min);
        });
    }

    [Fact]
    public void Construction_rejects_bad_sets()
    {
        var a = FakeSignatureScheme.CreateSigner(1);
        var b = FakeSignatureScheme.CreateSigner(2);
        Assert.Throws<ArgumentException>(() => new ValidatorSet(0, []));
        Assert.Throws<ArgumentException>(() => new ValidatorSet(0, [new Validator(a.NodeId, a.PublicKey, 0)]));
        Assert.Throws<ArgumentException>(() => new ValidatorSet(0, [new Validator(a.NodeId, b.PublicKey, 1)]));
        Assert.Throws<ArgumentException>(() => new ValidatorSet(0, [new Validator(a.NodeId, a.PublicKey, 1), new Validator(a.NodeId, a.PublicKey, 1)]));
        Assert.Equal(-1, Equal(4).IndexOf(Hash32.Zero));
        Assert.Equal(2, Equal(4).IndexOf(FakeSignatureScheme.CreateSigner(2).NodeId));
    }

    [Fact]
    public void Leaders_lead_in_proportion_to_weight_and_never_twice_in_a_row_when_others_weigh_as_much()
    {
        ulong[] weights = [50, 16, 16, 15, 3];
        var signers = Enumerable.Range(0, weights.Length).Select(i => FakeSignatureScheme.CreateSigner(i)).ToArray();
        var set = new ValidatorSet(0, [.. signers.Select((s, i) => new Validator(s.NodeId, s.PublicKey, weights[i]))]);
        Assert.Equal(100, set.LeaderCycleLength);
        var counts = new int[weights.Length];
        for (ulong r = 0; r < 100; r++)
        {
            counts[set.LeaderOf(r)]++;
        }

        Assert.Equal([50, 16, 16, 15, 3], counts);
        Assert.Equal(set.LeaderOf(7), set.LeaderOf(107));
        var equal = Equal(4);
        Assert.Equal(4, Enumerable.Range(0, 4).Select(r => equal.LeaderOf((ulong)r)).Distinct().Count());
    }
}
