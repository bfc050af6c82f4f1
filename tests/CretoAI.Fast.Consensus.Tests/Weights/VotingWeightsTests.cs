using CretoAI.Fast.Consensus.Weights;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests.Weights;

public class VotingWeightsTests
{
    private static readonly SimdPath[] VectorPaths = [SimdPath.Vector256, SimdPath.Vector512, SimdPath.Auto];

    // Extremes on purpose: the eligibility boundaries, 0, the maxima, plus arbitrary values.
    private static readonly Gen<ulong> AnyStake = Gen.Frequency(
        (4, Gen.ULong[0, 2_000_000]),
        (1, Gen.OneOfConst(0UL, 99_999UL, 100_000UL, 100_001UL, VotingWeights.MaxStake, VotingWeights.MaxStake - 1)),
        (1, Gen.ULong[0, VotingWeights.MaxStake]));

    private static readonly Gen<uint> AnyPpm = Gen.Frequency(
        (4, Gen.UInt[0, VotingWeights.PpmScale]),
        (1, Gen.OneOfConst(0u, 749_999u, 750_000u, 750_001u, VotingWeights.PpmScale)));

    private static readonly Gen<uint> MostlyEligibleUptime = Gen.Frequency((3, Gen.UInt[750_000, VotingWeights.PpmScale]), (1, AnyPpm));

    private static readonly Gen<(ulong[] Stake, uint[] Reputation, uint[] Uptime)> Plain =
        Gen.Int[0, 300].SelectMany(n => Gen.Select(AnyStake.Array[n], AnyPpm.Array[n], MostlyEligibleUptime.Array[n]));

    // One or two candidates with the maximum stake among ordinary ones: the cap and redistribution run.
    private static readonly Gen<(ulong[] Stake, uint[] Reputation, uint[] Uptime)> WithWhales =
        Gen.Int[1, 60].SelectMany(n => Gen.Select(Gen.ULong[0, 1_000_000].Array[n], AnyPpm.Array[n], MostlyEligibleUptime.Array[n], Gen.Int[1, 2]))
            .Select((stake, reputation, uptime, whales) =>
            {
                for (var i = 0; i < Math.Min(whales, stake.Length); i++)
                {
                    stake[i] = VotingWeights.MaxStake;
                    uptime[i] = VotingWeights.PpmScale;
                }

                return (stake, reputation, uptime);
            });

    private static readonly Gen<(ulong[] Stake, uint[] Reputation, uint[] Uptime)> Candidates = Gen.OneOf(Plain, WithWhales);

    [Fact]
    public void Vector_kernels_give_the_scalar_weights_bit_for_bit() =>
        Candidates.Sample(c =>
        {
            var expected = new ulong[c.Stake.Length];
            var expectedSummary = VotingWeights.Compute(c.Stake, c.Reputation, c.Uptime, expected, VotingWeightRules.Default, SimdPath.Scalar);
            foreach (var path in VectorPaths)
            {
                var actual = new ulong[c.Stake.Length];
                var summary = VotingWeights.Compute(c.Stake, c.Reputation, c.Uptime, actual, VotingWeightRules.Default, path);
                Assert.Equal(expectedSummary, summary);
                Assert.Equal(expected, actual);
            }
        }, iter: 400);

    [Fact]
    public void Kernels_agree_when_quotients_are_exact_integers() =>
        // Few distinct round values: many shares divide exactly, where a reciprocal estimate lands just
        // below the integer and the correction step must add one.
        Gen.Int[1, 64].SelectMany(n => Gen.Select(
                Gen.OneOfConst(100_000UL, 200_000UL, 400_000UL, 800_000UL, 1_000_000UL).Array[n],
                Gen.OneOfConst(0u, 250_000u, 500_000u, 1_000_000u).Array[n],
                Gen.OneOfConst(750_000u, 800_000u, 1_000_000u).Array[n]))
            .Sample((stake, reputation, uptime) =>
            {
                var expected = new ulong[stake.Length];
                var (reference, _) = ReferenceWeights.Compute(stake, reputation, uptime, VotingWeightRules.Default);
                VotingWeights.Compute(stake, reputation, uptime, expected, VotingWeightRules.Default, SimdPath.Scalar);
                Assert.Equal(reference, expected);
                foreach (var path in VectorPaths)
                {
                    var actual = new ulong[stake.Length];
                    VotingWeights.Compute(stake, reputation, uptime, actual, VotingWeightRules.Default, path);
                    Assert.Equal(expected, actual);
                }
            }, iter: 400);

    [Fact]
    public void Weights_equal_an_independent_128_bit_reference() =>
        Candidates.Sample(c =>
        {
            var actual = new ulong[c.Stake.Length];
            var summary = VotingWeights.Compute(c.Stake, c.Reputation, c.Uptime, actual);
            var (expected, cap) = ReferenceWeights.Compute(c.Stake, c.Reputation, c.Uptime, VotingWeightRules.Default);
            Assert.Equal(expected, actual);
            Assert.Equal(cap, summary.Cap);
        }, iter: 300);

    [Fact]
    public void Capped_weights_never_exceed_the_cap_and_the_cap_is_15_percent_when_feasible() =>
        Candidates.Sample(c =>
        {
            var weights = new ulong[c.Stake.Length];
            var summary = VotingWeights.Compute(c.Stake, c.Reputation, c.Uptime, weights);
            Assert.All(weights, w => Assert.True(w <= summary.Cap));
            Assert.Equal(summary.TotalWeight, weights.Aggregate(0UL, (a, w) => a + w));
            Assert.True(summary.TotalWeight <= summary.UncappedTotal);
            Assert.True(summary.UncappedTotal <= VotingWeights.WeightScale);
            if (summary.EligibleCount >= 7)
            {
                Assert.Equal(summary.UncappedTotal * 15 / 100, summary.Cap);

                // Rounding dust: at most one unit per validator left below the cap.
                Assert.True(summary.UncappedTotal - summary.TotalWeight <= (ulong)summary.EligibleCount);
            }

            for (var i = 0; i < weights.Length; i++)
            {
                if (c.Stake[i] < 100_000 || c.Uptime[i] < 750_000)
                {
                    Assert.Equal(0UL, weights[i]);
                }
            }
        }, iter: 300);

    [Fact]
    public void Whales_are_held_at_the_cap_and_the_excess_goes_to_the_others_in_proportion()
    {
        // 7..200 validators, one or two holding far more stake than the rest together: above 15 % uncapped.
        Gen.Int[7, 200].SelectMany(n => Gen.Select(Gen.ULong[100_000, 1_000_000].Array[n], Gen.UInt[0, 1_000_000].Array[n], Gen.UInt[750_000, 1_000_000].Array[n], Gen.Int[1, 2]))
            .Sample((stake, reputation, uptime, whales) =>
            {
                for (var i = 0; i < whales; i++)
                {
                    stake[i] = VotingWeights.MaxStake;
                    reputation[i] = 1_000_000;
                }

                foreach (var path in new[] { SimdPath.Scalar, SimdPath.Auto })
                {
                    var weights = new ulong[n(stake)];
                    var summary = VotingWeights.Compute(stake, reputation, uptime, weights, VotingWeightRules.Default, path);
                    Assert.True(summary.CappedCount >= 1);
                    Assert.Equal(summary.Cap, weights[0]);
                    Assert.True(weights.Max() <= summary.Cap);
                }
            }, iter: 200);

        static int n(ulong[] a) => a.Length;
    }

    [Fact]
    public void Computing_weights_and_tallies_allocates_nothing()
    {
        var random = new Random(1);
        var stake = Enumerable.Range(0, 1000).Select(_ => (ulong)random.NextInt64(0, 2_000_000)).ToArray();
        var reputation = Enumerable.Range(0, 1000).Select(_ => (uint)random.Next(0, 1_000_001)).ToArray();
        var uptime = Enumerable.Range(0, 1000).Select(_ => (uint)random.Next(700_000, 1_000_001)).ToArray();
        stake[0] = VotingWeights.MaxStake; // a whale, so the cap passes run too
        var weights = new ulong[1000];
        var bitmap = new ulong[VoteTally.WordCount(1000)];
        bitmap.AsSpan().Fill(0x5555_5555_5555_5555UL);
        foreach (var path in new[] { SimdPath.Scalar, SimdPath.Vector256, SimdPath.Vector512 })
        {
            VotingWeights.Compute(stake, reputation, uptime, weights, VotingWeightRules.Default, path);
            VoteTally.Tally(bitmap, weights, path);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var summary = VotingWeights.Compute(stake, reputation, uptime, weights, VotingWeightRules.Default, path);
            VoteTally.Tally(bitmap, weights, path);
            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
            Assert.Equal(1, summary.CappedCount);
        }
    }

    [Fact]
    public void Seven_identical_validators_get_the_hand_computed_weight()
    {
        var stake = Enumerable.Repeat(500_000UL, 7).ToArray();
        var reputation = Enumerable.Repeat(500_000u, 7).ToArray();
        var uptime = Enumerable.Repeat(990_000u, 7).ToArray();
        var weights = new ulong[7];

        var summary = VotingWeights.Compute(stake, reputation, uptime, weights);

        // ⌊4e8/7⌋ + ⌊4e8/7⌋ + ⌊2e8/7⌋ = 57,142,857 + 57,142,857 + 28,571,428.
        Assert.All(weights, w => Assert.Equal(142_857_142UL, w));
        Assert.Equal(new WeightSummary(7, 999_999_994, 149_999_999, 0, 999_999_994), summary);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public void Fewer_than_seven_eligible_validators_get_equal_weights(int count)
    {
        var stake = Enumerable.Range(0, count).Select(i => 100_000UL + ((ulong)i * 250_000)).ToArray();
        var reputation = Enumerable.Range(0, count).Select(i => (uint)(i * 150_000)).ToArray();
        var uptime = Enumerable.Range(0, count).Select(i => 750_000u + (uint)(i * 40_000)).ToArray();
        var weights = new ulong[count];

        var summary = VotingWeights.Compute(stake, reputation, uptime, weights);

        // Infeasible 15 % cap: the cap becomes ⌊T/n⌋ and water-filling brings everyone to it.
        Assert.Equal(summary.UncappedTotal / (ulong)count, summary.Cap);
        Assert.All(weights, w => Assert.Equal(summary.Cap, w));
    }

    [Fact]
    public void Eligibility_boundaries_are_inclusive()
    {
        ulong[] stake = [99_999, 100_000, 100_000, 100_000, 100_000, 100_000, 100_000, 100_000, 100_000];
        uint[] reputation = [500_000, 500_000, 500_000, 500_000, 500_000, 500_000, 500_000, 500_000, 500_000];
        uint[] uptime = [1_000_000, 750_000, 749_999, 800_000, 800_000, 800_000, 800_000, 800_000, 800_000];
        var weights = new ulong[9];

        var summary = VotingWeights.Compute(stake, reputation, uptime, weights);

        Assert.Equal(7, summary.EligibleCount);
        Assert.Equal(0UL, weights[0]);
        Assert.NotEqual(0UL, weights[1]);
        Assert.Equal(0UL, weights[2]);
    }

    [Fact]
    public void Zero_reputation_everywhere_leaves_the_reputation_part_unassigned()
    {
        var stake = Enumerable.Repeat(200_000UL, 10).ToArray();
        var reputation = new uint[10];
        var uptime = Enumerable.Repeat(900_000u, 10).ToArray();
        var weights = new ulong[10];

        var summary = VotingWeights.Compute(stake, reputation, uptime, weights);

        Assert.Equal(60_000_000UL, weights[0]);
        Assert.Equal(600_000_000UL, summary.TotalWeight);
    }

    [Fact]
    public void No_eligible_candidate_gives_all_zero_weights()
    {
        var weights = new ulong[] { 5, 5 };
        var summary = VotingWeights.Compute([1, 2], [3, 4], [1_000_000, 1_000_000], weights);
        Assert.Equal(new WeightSummary(0, 0, 0, 0, 0), summary);
        Assert.Equal([0UL, 0UL], weights);
    }

    [Fact]
    public void Out_of_range_inputs_are_rejected_with_the_candidate_index()
    {
        var weights = new ulong[3];
        var stakeError = Assert.Throws<ArgumentOutOfRangeException>(() => VotingWeights.Compute([1, 2, VotingWeights.MaxStake + 1], [0, 0, 0], [0, 0, 0], weights));
        Assert.Contains("candidate 2", stakeError.Message, StringComparison.Ordinal);
        var reputationError = Assert.Throws<ArgumentOutOfRangeException>(() => VotingWeights.Compute([1, 2, 3], [0, 1_000_001, 0], [0, 0, 0], weights));
        Assert.Contains("candidate 1", reputationError.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => VotingWeights.Compute([1, 2, 3], [0, 0, 0], [2_000_000, 0, 0], weights));
        Assert.Throws<ArgumentException>(() => VotingWeights.Compute([1, 2], [0, 0, 0], [0, 0, 0], weights));
    }

    [Fact]
    public void Rules_reject_out_of_range_constants()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VotingWeightRules(100, 750_000, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VotingWeightRules(100, 1_000_001, 15));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VotingWeightRules(VotingWeights.MaxStake + 1, 0, 15));
    }
}
