using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CretoAI.Fast.Consensus.Weights;

/// <summary>Vector256 kernels: 4 candidates per step; the tail (fewer than 4) goes through the scalar kernel.</summary>
public static partial class VotingWeights
{
    internal static EligibleSums SumEligible256(ReadOnlySpan<ulong> stake, ReadOnlySpan<uint> reputationPpm, ReadOnlySpan<uint> uptimePpm, VotingWeightRules rules)
    {
        ref var s0 = ref MemoryMarshal.GetReference(stake);
        ref var r0 = ref MemoryMarshal.GetReference(reputationPpm);
        ref var u0 = ref MemoryMarshal.GetReference(uptimePpm);
        var minStake = Vector256.Create(rules.MinimumStake);
        var minUptime = Vector256.Create((ulong)rules.MinimumUptimePpm);
        Vector256<ulong> stakeSum = default, reputationSum = default, uptimeSum = default, count = default;
        Vector256<ulong> maxStake = default, maxReputation = default, maxUptime = default;

        var i = 0;
        for (; i <= stake.Length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
        {
            var s = Vector256.LoadUnsafe(ref s0, (nuint)i);
            var r = LoadWidened256(ref r0, i);
            var u = LoadWidened256(ref u0, i);
            maxStake = Vector256.Max(maxStake, s);
            maxReputation = Vector256.Max(maxReputation, r);
            maxUptime = Vector256.Max(maxUptime, u);
            var eligible = Vector256.GreaterThanOrEqual(s, minStake) & Vector256.GreaterThanOrEqual(u, minUptime);
            stakeSum += s & eligible;
            reputationSum += r & eligible;
            uptimeSum += u & eligible;
            count -= eligible;
        }

        var sums = new EligibleSums(
            Vector256.Sum(stakeSum), Vector256.Sum(reputationSum), Vector256.Sum(uptimeSum), (int)Vector256.Sum(count),
            Max(maxStake), Max(maxReputation), Max(maxUptime));
        return SumEligibleScalar(stake, reputationPpm, uptimePpm, rules, i, sums);
    }

    internal static (ulong Total, ulong Largest) UncappedWeights256(ReadOnlySpan<ulong> stake, ReadOnlySpan<uint> reputationPpm, ReadOnlySpan<uint> uptimePpm, Span<ulong> weights, VotingWeightRules rules, in ShareDivisors shares)
    {
        ref var s0 = ref MemoryMarshal.GetReference(stake);
        ref var r0 = ref MemoryMarshal.GetReference(reputationPpm);
        ref var u0 = ref MemoryMarshal.GetReference(uptimePpm);
        ref var w0 = ref MemoryMarshal.GetReference(weights);
        var minStake = Vector256.Create(rules.MinimumStake);
        var minUptime = Vector256.Create((ulong)rules.MinimumUptimePpm);
        var stakePart = Vector256.Create(StakePart);
        var reputationPart = Vector256.Create(shares.ReputationPart);
        var uptimePart = Vector256.Create(UptimePart);
        var stakeDivisor = Vector256.Create(shares.Stake.Divisor);
        var reputationDivisor = Vector256.Create(shares.Reputation.Divisor);
        var uptimeDivisor = Vector256.Create(shares.Uptime.Divisor);
        var stakeReciprocal = Vector256.Create(shares.Stake.Reciprocal);
        var reputationReciprocal = Vector256.Create(shares.Reputation.Reciprocal);
        var uptimeReciprocal = Vector256.Create(shares.Uptime.Reciprocal);
        Vector256<ulong> total = default, largest = default;

        var i = 0;
        for (; i <= stake.Length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
        {
            var s = Vector256.LoadUnsafe(ref s0, (nuint)i);
            var r = LoadWidened256(ref r0, i);
            var u = LoadWidened256(ref u0, i);
            var eligible = Vector256.GreaterThanOrEqual(s, minStake) & Vector256.GreaterThanOrEqual(u, minUptime);
            var weight = ExactDivisor.Divide(s * stakePart, stakeDivisor, stakeReciprocal)
                + ExactDivisor.Divide(r * reputationPart, reputationDivisor, reputationReciprocal)
                + ExactDivisor.Divide(u * uptimePart, uptimeDivisor, uptimeReciprocal);
            weight &= eligible;
            weight.StoreUnsafe(ref w0, (nuint)i);
            total += weight;
            largest = Vector256.Max(largest, weight);
        }

        return UncappedWeightsScalar(stake, reputationPpm, uptimePpm, weights, rules, shares, i, Vector256.Sum(total), Max(largest));
    }

    internal static (int Count, ulong Sum) CountAbove256(ReadOnlySpan<ulong> weights, ulong threshold)
    {
        ref var w0 = ref MemoryMarshal.GetReference(weights);
        var limit = Vector256.Create(threshold);
        Vector256<ulong> count = default, sum = default;
        var i = 0;
        for (; i <= weights.Length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
        {
            var w = Vector256.LoadUnsafe(ref w0, (nuint)i);
            var above = Vector256.GreaterThan(w, limit);
            count -= above;
            sum += w & above;
        }

        return CountAboveScalar(weights, threshold, i, (int)Vector256.Sum(count), Vector256.Sum(sum));
    }

    internal static ulong Rescale256(Span<ulong> weights, ulong threshold, ulong cap, ulong free, in ExactDivisor uncappedSum)
    {
        ref var w0 = ref MemoryMarshal.GetReference(weights);
        var limit = Vector256.Create(threshold);
        var capped = Vector256.Create(cap);
        var freeWeight = Vector256.Create(free);
        var divisor = Vector256.Create(uncappedSum.Divisor);
        var reciprocal = Vector256.Create(uncappedSum.Reciprocal);
        Vector256<ulong> total = default;
        var i = 0;
        for (; i <= weights.Length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
        {
            var w = Vector256.LoadUnsafe(ref w0, (nuint)i);
            var scaled = Vector256.ConditionalSelect(Vector256.GreaterThan(w, limit), capped, ExactDivisor.Divide(w * freeWeight, divisor, reciprocal));
            scaled.StoreUnsafe(ref w0, (nuint)i);
            total += scaled;
        }

        return RescaleScalar(weights, threshold, cap, free, uncappedSum, i, Vector256.Sum(total));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> LoadWidened256(ref uint source, int index) =>
        Vector256.WidenLower(Vector128.LoadUnsafe(ref source, (nuint)index).ToVector256Unsafe());

    private static ulong Max(Vector256<ulong> lanes)
    {
        var max = 0UL;
        for (var lane = 0; lane < Vector256<ulong>.Count; lane++)
        {
            max = Math.Max(max, lanes[lane]);
        }

        return max;
    }
}
