using CretoAI.Fast.Reputation.Decay;
using CsCheck;

namespace CretoAI.Fast.Reputation.Tests.Decay;

public sealed class ReputationDecayTests
{
    private const uint HalfLife = ReputationDecay.TicksPerHalfLife;

    private static readonly Gen<uint> AnyScore = Gen.Frequency(
        (3, Gen.UInt[0, ReputationDecay.MaxPpm]),
        (1, Gen.OneOfConst(0u, 1u, 499_999u, 500_000u, 500_001u, 999_999u, ReputationDecay.MaxPpm)));

    private static readonly Gen<uint> AnyElapsed = Gen.Frequency(
        (2, Gen.UInt),
        (3, Gen.UInt[0, 25 * HalfLife]),
        (1, Gen.OneOfConst(0u, 1u, HalfLife - 1, HalfLife, HalfLife + 1, (19 * HalfLife) - 1, 20 * HalfLife, (33 * HalfLife) - 1, 33 * HalfLife, uint.MaxValue)));

    [Theory]
    [InlineData(1_000_000u, 750_000u)]
    [InlineData(0u, 250_000u)]
    [InlineData(900_000u, 700_000u)]
    [InlineData(100_000u, 300_000u)]
    [InlineData(500_001u, 500_000u)]
    [InlineData(500_000u, 500_000u)]
    [InlineData(499_999u, 500_000u)]
    [InlineData(600_003u, 550_001u)]
    [InlineData(399_997u, 449_999u)]
    public void One_half_life_halves_the_distance_to_the_start(uint score, uint expected) =>
        Assert.Equal(expected, ReputationDecay.Decay(score, HalfLife));

    [Fact]
    public void One_half_life_halves_every_distance_within_one_ppm()
    {
        for (var score = 0u; score <= ReputationDecay.MaxPpm; score += 7)
        {
            var distance = (long)score - ReputationDecay.StartPpm;
            var decayed = (long)ReputationDecay.Decay(score, HalfLife) - ReputationDecay.StartPpm;
            Assert.InRange((2 * decayed) - distance, -1, 1);
        }
    }

    [Theory]
    [InlineData(1_000_000u, 625_000u)]
    [InlineData(0u, 375_000u)]
    [InlineData(900_000u, 600_000u)]
    [InlineData(300_000u, 450_000u)]
    public void Two_half_lives_leave_a_quarter_of_the_distance(uint score, uint expected) =>
        Assert.Equal(expected, ReputationDecay.Decay(score, 2 * HalfLife));

    [Fact]
    public void No_elapsed_tick_leaves_every_score_unchanged()
    {
        for (var score = 0u; score <= ReputationDecay.MaxPpm; score++)
        {
            Assert.Equal(score, ReputationDecay.Decay(score, 0));
        }
    }

    [Theory]
    [InlineData(20 * HalfLife)]
    [InlineData((20 * HalfLife) + 1)]
    [InlineData((33 * HalfLife) - 1)]
    [InlineData(33 * HalfLife)]
    [InlineData(1u << 31)]
    [InlineData(uint.MaxValue)]
    public void Twenty_half_lives_or_more_reach_exactly_the_start(uint elapsed)
    {
        foreach (var score in new[] { 0u, 1u, 123_456u, 499_999u, 500_000u, 500_001u, 876_543u, 999_999u, 1_000_000u })
        {
            Assert.Equal(ReputationDecay.StartPpm, ReputationDecay.Decay(score, elapsed));
        }
    }

    [Fact]
    public void Nineteen_whole_half_lives_already_reach_the_start_for_every_score()
    {
        // a ≤ 500,000 < 2^19 and F ≤ 2^31, so a × F < 2^50 and the shift by 31 + 19 leaves 0 (as the docs say).
        for (var score = 0u; score <= ReputationDecay.MaxPpm; score++)
        {
            Assert.Equal(ReputationDecay.StartPpm, ReputationDecay.Decay(score, 19 * HalfLife));
        }

        Assert.Equal(ReputationDecay.StartPpm + 1, ReputationDecay.Decay(ReputationDecay.MaxPpm, 18 * HalfLife));
    }

    [Fact]
    public void Decay_stays_within_one_ppm_of_the_exact_exponential() =>
        Gen.Select(AnyScore, Gen.UInt[0, 40 * HalfLife]).Sample((score, elapsed) =>
        {
            var exact = ReputationDecay.StartPpm + (((double)score - ReputationDecay.StartPpm) * Math.Pow(2, -elapsed / (double)HalfLife));
            Assert.InRange(ReputationDecay.Decay(score, elapsed), exact - 1.001, exact + 1.001);
        }, iter: 5000);

    [Fact]
    public void Decay_never_overshoots_the_start_nor_moves_away_from_it() =>
        Gen.Select(AnyScore, AnyElapsed).Sample((score, elapsed) =>
        {
            var decayed = ReputationDecay.Decay(score, elapsed);
            Assert.InRange(decayed, Math.Min(score, ReputationDecay.StartPpm), Math.Max(score, ReputationDecay.StartPpm));
        }, iter: 5000);

    [Fact]
    public void Decay_is_monotone_in_elapsed_time() =>
        Gen.Select(AnyScore, AnyElapsed, AnyElapsed).Sample((score, first, second) =>
        {
            var (earlier, later) = first <= second ? (first, second) : (second, first);
            Assert.True(
                Distance(ReputationDecay.Decay(score, later)) <= Distance(ReputationDecay.Decay(score, earlier)),
                $"Score {score}: the distance after {later} ticks exceeds the distance after {earlier} ticks.");
        }, iter: 5000);

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(250_000u)]
    [InlineData(499_999u)]
    [InlineData(500_001u)]
    [InlineData(777_777u)]
    [InlineData(1_000_000u)]
    public void Every_tick_moves_the_score_toward_the_start_or_leaves_it(uint score)
    {
        var previous = Distance(score);
        for (var elapsed = 0u; elapsed <= (21 * HalfLife) + 5; elapsed++)
        {
            var distance = Distance(ReputationDecay.Decay(score, elapsed));
            Assert.True(distance <= previous, $"Score {score}: distance grows at {elapsed} ticks.");
            previous = distance;
        }

        Assert.Equal(0u, previous);
    }

    [Fact]
    public void A_score_above_one_million_ppm_is_rejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ReputationDecay.Decay(ReputationDecay.MaxPpm + 1, 5));
        Assert.Equal("scorePpm", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => ReputationDecay.Decay(uint.MaxValue, 0));
    }

    [Theory]
    [InlineData(2_592_000_000UL, 1_265_625UL)]
    [InlineData(2048UL, 1UL)]
    [InlineData(4096UL, 2UL)]
    [InlineData(2048UL << 40, 1UL << 40)]
    public void Tick_length_is_a_2048th_of_the_half_life(ulong halfLifeMs, ulong tickMs) =>
        Assert.Equal(tickMs, ReputationDecay.TickLengthMs(halfLifeMs));

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(2047UL)]
    [InlineData(2049UL)]
    [InlineData(2_592_000_001UL)]
    [InlineData(ulong.MaxValue)]
    public void A_half_life_that_is_not_a_positive_multiple_of_2048_ms_is_rejected(ulong halfLifeMs)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ReputationDecay.TickLengthMs(halfLifeMs));
        Assert.Equal("halfLifeMs", error.ParamName);
    }

    [Theory]
    [InlineData(0UL, 1_265_625UL, 0u)]
    [InlineData(1_265_624UL, 1_265_625UL, 0u)]
    [InlineData(1_265_625UL, 1_265_625UL, 1u)]
    [InlineData(2_592_000_000UL, 1_265_625UL, 2048u)]
    [InlineData(1_764_000_000_000UL, 1_265_625UL, 1_393_777u)]
    [InlineData(4_294_967_295UL, 1UL, uint.MaxValue)]
    [InlineData(ulong.MaxValue, 1UL << 32, uint.MaxValue)]
    public void Tick_of_a_timestamp_is_the_whole_ticks_since_zero(ulong timestampMs, ulong tickMs, uint tick) =>
        Assert.Equal(tick, ReputationDecay.TickOf(timestampMs, tickMs));

    [Fact]
    public void A_tick_beyond_32_bits_or_a_zero_tick_length_is_rejected()
    {
        Assert.Equal("timestampMs", Assert.Throws<ArgumentOutOfRangeException>(() => ReputationDecay.TickOf(1UL << 32, 1)).ParamName);
        Assert.Equal("timestampMs", Assert.Throws<ArgumentOutOfRangeException>(() => ReputationDecay.TickOf(ulong.MaxValue, 1_265_625)).ParamName);
        Assert.Equal("tickLengthMs", Assert.Throws<ArgumentOutOfRangeException>(() => ReputationDecay.TickOf(5, 0)).ParamName);
    }

    private static uint Distance(uint score) =>
        score >= ReputationDecay.StartPpm ? score - ReputationDecay.StartPpm : ReputationDecay.StartPpm - score;
}
