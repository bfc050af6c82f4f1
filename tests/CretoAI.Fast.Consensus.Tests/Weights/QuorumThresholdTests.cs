using CretoAI.Fast.Consensus.Weights;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests.Weights;

public class QuorumThresholdTests
{
    [Theory]
    [InlineData(100UL, ThreatLevel.Normal, 67UL)]
    [InlineData(100UL, ThreatLevel.Elevated, 75UL)]
    [InlineData(100UL, ThreatLevel.High, 82UL)]
    [InlineData(3UL, ThreatLevel.Normal, 3UL)]
    [InlineData(1UL, ThreatLevel.Normal, 1UL)]
    [InlineData(4UL, ThreatLevel.Elevated, 3UL)]
    [InlineData(1_000_000_000UL, ThreatLevel.Normal, 670_000_000UL)]
    [InlineData(999_999_994UL, ThreatLevel.High, 819_999_996UL)]
    [InlineData(ulong.MaxValue, ThreatLevel.High, 15_126_330_140_441_832_325UL)]
    public void Minimum_weight_is_the_ceiling_of_the_percentage(ulong total, ThreatLevel level, ulong expected) =>
        Assert.Equal(expected, QuorumThreshold.MinimumWeight(total, level));

    [Fact]
    public void The_minimum_is_exactly_the_boundary() =>
        Gen.Select(Gen.ULong[1, ulong.MaxValue], Gen.OneOfConst(ThreatLevel.Normal, ThreatLevel.Elevated, ThreatLevel.High)).Sample((total, level) =>
        {
            var minimum = QuorumThreshold.MinimumWeight(total, level);
            var percent = QuorumThreshold.Percent(level);
            Assert.True((UInt128)minimum * 100 >= (UInt128)total * percent);
            Assert.True((UInt128)(minimum - 1) * 100 < (UInt128)total * percent);
            Assert.True(QuorumThreshold.IsReached(minimum, total, level));
            Assert.False(QuorumThreshold.IsReached(minimum - 1, total, level));
        });

    [Fact]
    public void Stricter_levels_need_more_weight() =>
        Gen.ULong[1, 10_000_000_000].Sample(total =>
            QuorumThreshold.MinimumWeight(total, ThreatLevel.Normal) <= QuorumThreshold.MinimumWeight(total, ThreatLevel.Elevated)
            && QuorumThreshold.MinimumWeight(total, ThreatLevel.Elevated) <= QuorumThreshold.MinimumWeight(total, ThreatLevel.High));

    [Fact]
    public void A_zero_total_or_unknown_level_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => QuorumThreshold.MinimumWeight(0, ThreatLevel.Normal));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuorumThreshold.Percent((ThreatLevel)7));
    }
}
