using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests.Weights;

public class ForkChoiceTests
{
    [Fact]
    public void The_longer_chain_wins_even_when_lighter()
    {
        var longer = Chain((1, 1, 10), (2, 2, 20), (3, 3, 25));
        var heavier = Chain((1, 1, 10), (2, 9, 500));
        Assert.True(ForkChoice.Compare(longer, heavier) > 0);
        Assert.Equal(1, ForkChoice.SelectBest([heavier, longer]));
    }

    [Fact]
    public void At_equal_length_the_heavier_chain_wins()
    {
        var light = Chain((1, 1, 10), (2, 2, 20));
        var heavy = Chain((1, 1, 10), (2, 3, 21));
        Assert.Equal(1, ForkChoice.SelectBest([light, heavy]));
    }

    [Fact]
    public void At_equal_length_and_weight_the_lowest_hash_wins()
    {
        var low = Chain((5, 0x01, 20));
        var high = Chain((5, 0xF0, 20));
        Assert.Equal(1, ForkChoice.SelectBest([high, low]));
        Assert.Equal(0, ForkChoice.Compare(low, Chain((5, 0x01, 20))));
    }

    [Fact]
    public void The_choice_does_not_depend_on_the_order_of_the_candidates() =>
        Gen.Select(Gen.ULong[1, 4], Gen.ULong[0, 3], Gen.Byte[0, 3]).Array[1, 8].Sample(tips =>
        {
            var chains = tips.Select(t => Chain((t.Item1, t.Item3, t.Item2))).ToArray();
            var best = chains[ForkChoice.SelectBest(chains)].Tip;
            var reversed = chains.Reverse().ToArray();
            Assert.Equal(best, reversed[ForkChoice.SelectBest(reversed)].Tip);
            Assert.All(chains, c => Assert.True(ForkChoice.Compare(best, c.Tip) >= 0));
        });

    [Fact]
    public void Ids_compare_as_unsigned_bytes_from_the_first()
    {
        var a = Id(0x01, 0xFF);
        var b = Id(0x02, 0x00);
        Assert.True(ForkChoice.CompareIds(a, b) < 0);
        Assert.True(ForkChoice.CompareIds(Id(0x80), Id(0x7F)) > 0);
    }

    [Fact]
    public void Malformed_chains_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new CertifiedChain([]));
        Assert.Throws<ArgumentException>(() => Chain((1, 1, 10), (3, 2, 20)));
        Assert.Throws<ArgumentException>(() => Chain((1, 1, 10), (2, 2, 5)));
        Assert.Throws<ArgumentException>(() => ForkChoice.SelectBest([]));
    }

    [Fact]
    public void First_divergence_is_the_fork_point()
    {
        var a = Chain((1, 1, 10), (2, 2, 20), (3, 3, 30));
        var b = Chain((2, 2, 20), (3, 7, 30), (4, 8, 40));
        Assert.Equal(3UL, ForkChoice.FirstDivergence(a, b));
        Assert.Null(ForkChoice.FirstDivergence(a, Chain((2, 2, 20))));
        Assert.Null(ForkChoice.FirstDivergence(a, Chain((9, 2, 20))));
    }

    [Fact]
    public void Conflicting_certified_blocks_at_one_height_raise_one_alarm_with_both_certificates()
    {
        var detector = new ForkDetector<string>();
        Assert.False(detector.Observe(new CertifiedBlock<string>(7, Id(1), "qc-a"), out _));
        Assert.False(detector.Observe(new CertifiedBlock<string>(7, Id(1), "qc-a-again"), out _));
        Assert.True(detector.Observe(new CertifiedBlock<string>(7, Id(2), "qc-b"), out var alarm));
        Assert.Equal(7UL, alarm.Height);
        Assert.Equal("qc-a", alarm.First.Certificate);
        Assert.Equal("qc-b", alarm.Conflicting.Certificate);
        Assert.False(detector.Observe(new CertifiedBlock<string>(7, Id(2), "qc-b"), out _));
        Assert.True(detector.Observe(new CertifiedBlock<string>(7, Id(3), "qc-c"), out var third));
        Assert.Equal(Id(3), third.Conflicting.BlockId);
        Assert.False(detector.Observe(new CertifiedBlock<string>(8, Id(2), "qc-d"), out _));
    }

    [Fact]
    public void The_detector_keeps_only_the_retained_heights()
    {
        var detector = new ForkDetector<int>(retainedHeights: 10);
        for (ulong h = 1; h <= 1000; h++)
        {
            detector.Observe(new CertifiedBlock<int>(h, Id(1), 0), out _);
        }

        Assert.True(detector.TrackedHeights <= 21);
        Assert.False(detector.Observe(new CertifiedBlock<int>(5, Id(2), 1), out _));   // too old to judge
        Assert.True(detector.Observe(new CertifiedBlock<int>(995, Id(2), 1), out _));
    }

    [Fact]
    public void First_conflict_between_two_certified_chains_is_the_lowest_height()
    {
        CertifiedBlock<int>[] a = [new(1, Id(1), 10), new(2, Id(2), 20), new(3, Id(3), 30)];
        CertifiedBlock<int>[] b = [new(3, Id(9), 31), new(2, Id(8), 21), new(1, Id(1), 11)];
        var alarm = ForkDetector<int>.FirstConflict(a, b);
        Assert.NotNull(alarm);
        Assert.Equal(2UL, alarm.Height);
        Assert.Equal(20, alarm.First.Certificate);
        Assert.Equal(21, alarm.Conflicting.Certificate);
        Assert.Null(ForkDetector<int>.FirstConflict(a, a));
    }

    private static Hash32 Id(params byte[] prefix)
    {
        var bytes = new byte[Hash32.Size];
        prefix.CopyTo(bytes, 0);
        return new Hash32(bytes);
    }

    private static CertifiedChain Chain(params (ulong Height, byte Id, ulong Weight)[] links) =>
        new(links.Select(l => new ChainLink(l.Height, Id(l.Id), l.Weight)).ToArray());
}
