using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CretoAI.Fast.Consensus.Weights;

/// <summary>Vector512 kernels: 8 candidates per step; the tail (fewer than 8) goes through the scalar kernel.</summary>
public static partial class VotingWeights
{
    internal static EligibleSums SumEligible512(ReadOnlySpan<ulong> stake, ReadOnlySpan<uint> reputationPpm, ReadOnlySpan<uint> uptimePpm, VotingWeightRules rules)
    {
        ref var s0 = ref MemoryMarshal.GetReference(stake);
        ref var r0 = ref MemoryMarshal.GetReference(reputationPpm);
        ref var u0 = ref MemoryMarshal.GetReference(uptimePpm);
        var minStake = Vector512.Create(rules.MinimumStake);
        var minUptime = Vector512.Create((ulong)rules.MinimumUptimePpm);
        Vector512<ulong> stakeSum = default, reputationSum = default, uptimeSum = default, count = default;
        Vector512<ulong> maxStake = default, maxReputation = default, maxUptime = default;

        var i = 0;
        for (; i <= stake.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
        {
            var s = Vector512.LoadUnsafe(ref s0, (nuint)i);
            var r = LoadWidened512(ref r0, i);
            var u = LoadWidened512(ref u0, i);
            maxStake = Vector512.Max(maxStake, s);
            maxReputation = Vector512.Max(maxReputation, r);
            maxUptime = Vector512.Max(maxUptime, u);
            var eligible = Vector512.GreaterThanOrEqual(s, minStake) & Vector512.GreaterThanOrEqual(u, minUptime);
            stakeSum += s & eligible;
            reputationSum += r & eligible;
            uptimeSum += u & eligible;
            count -= eligible;
        }

        var sums = new EligibleSums(
            Vector512.Sum(stakeSum), Vector512.Sum(reputationSum), Vector512.Sum(uptimeSum), (int)Vector512.Sum(count),
            Max(maxStake), Max(maxReputation), Max(maxUptime));
        return SumEligibleScalar(stake, reputationPpm, uptimePpm, rules, i, sums);
    }

    internal static (ulong Total, ulong Largest) UncappedWeights512(ReadOnlySpan<ulong> stake, ReadOnlySpan<uint> reputationPpm, ReadOnlySpan<uint> uptimePpm, Span<ulong> weights, VotingWeightRules rules, in ShareDivisors shares)
    {
        ref var s0 = ref MemoryMarshal.GetReference(stake);
        ref var r0 = ref MemoryMarshal.GetReference(reputationPpm);
        ref var u0 = ref MemoryMarshal.GetReference(uptimePpm);
        ref var w0 = ref MemoryMarshal.GetReference(weights);
        var minStake = Vector512.Create(rules.MinimumStake);
        var minUptime = Vector512.Create((ulong)rules.MinimumUptimePpm);
        var stakePart = Vector512.Create(StakePart);
        var reputationPart = Vector512.Create(shares.ReputationPart);
        var uptimePart = Vector512.Create(UptimePart);
        var stakeDivisor = Vector512.Create(shares.Stake.Divisor);
        var reputationDivisor = Vector512.Create(shares.Reputation.Divisor);
        var uptimeDivisor = Vector512.Create(shares.Uptime.Divisor);
        var stakeReciprocal = Vector512.Create(shares.Stake.Reciprocal);
        var reputationReciprocal = Vector512.Create(shares.Reputation.Reciprocal);
        var uptimeReciprocal = Vector512.Create(shares.Uptime.Reciprocal);
        Vector512<ulong> total = default, largest = default;

        var i = 0;
        for (; i <= stake.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
        {
            var s = Vector512.LoadUnsafe(ref s0, (nuint)i);
            var r = LoadWidened512(ref r0, i);
            var u = LoadWidened512(ref u0, i);
            var eligible = Vector512.GreaterThanOrEqual(s, minStake) & Vector512.GreaterThanOrEqual(u, minUptime);
            var weight = ExactDivisor.Divide(s * stakePart, stakeDivisor, stakeReciprocal)
                + ExactDivisor.Divide(r * reputationPart, reputationDivisor, reputationReciprocal)
                + ExactDivisor.Divide(u * uptimePart, uptimeDivisor, uptimeReciprocal);
            weight &= eligible;
            weight.StoreUnsafe(ref w0, (nuint)i);
            total += weight;
            largest = Vector512.Max(largest, weight);
        }

        return UncappedWeightsScalar(stake, reputationPpm, uptimePpm, weights, rules, shares, i, Vector512.Sum(total), Max(largest));
    }

    internal static (int Count, ulong Sum) CountAbove512(ReadOnlySpan<ulong> weights, ulong threshold)
    {
        ref var w0 = ref MemoryMarshal.GetReference(weights);
        var limit = Vector512.Create(threshold);
        Vector512<ulong> count = default, sum = default;
        var i = 0;
        for (; i <= weights.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
        {
            var w = Vector512.LoadUnsafe(ref w0, (nuint)i);
            var above = Vector512.GreaterThan(w, limit);
            count -= above;
            sum += w & above;
        }

        return CountAboveScalar(weights, threshold, i, (int)Vector512.Sum(count), Vector512.Sum(sum));
    }

    internal static ulong Rescale512(Span<ulong> weights, ulong threshold, ulong cap, ulong free, in ExactDivisor uncappedSum)
    {
        ref var w0 = ref MemoryMarshal.GetReference(weights);
        var limit = Vector512.Create(threshold);
        var capped = Vector512.Create(cap);
        var freeWeight = Vector512.Create(free);
        var divisor = Vector512.Create(uncappedSum.Divisor);
        var reciprocal = Vector512.Create(uncappedSum.Reciprocal);
        Vector512<ulong> total = default;
        var i = 0;
        for (; i <= weights.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
        {
            var w = Vector512.LoadUnsafe(ref w0, (nuint)i);
            var scaled = Vector512.ConditionalSelect(Vector512.GreaterThan(w, limit), capped, ExactDivisor.Divide(w * freeWeight, divisor, reciprocal));
            scaled.StoreUnsafe(ref w0, (nuint)i);
            total += scaled;
        }

        return RescaleScalar(weights, threshold, cap, free, uncappedSum, i, Vector512.Sum(total));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> LoadWidened512(ref uint source, int index) =>
        Vector512.WidenLower(Vector256.LoadUnsafe(ref source, (nuint)index).ToVector512Unsafe());

    private static ulong Max(Vector512<ulong> lanes)
    {
        var max = 0UL;
        for (var lane = 0; lane < Vector512<ulong>.Count; lane++)
        {
            max = Math.Max(max, lanes[lane]);
        }

        return max;
    }
}
