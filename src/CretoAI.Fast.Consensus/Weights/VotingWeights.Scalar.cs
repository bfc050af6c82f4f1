namespace CretoAI.Fast.Consensus.Weights;

/// <summary>The scalar kernels: the reference the vector kernels must match bit for bit.</summary>
public static partial class VotingWeights
{
    internal static EligibleSums SumEligibleScalar(ReadOnlySpan<ulong> stake, ReadOnlySpan<uint> reputationPpm, ReadOnlySpan<uint> uptimePpm, VotingWeightRules rules) =>
        SumEligibleScalar(stake, reputationPpm, uptimePpm, rules, 0, default);

    /// <summary>Continues the sums from <paramref name="start"/>; the vector kernels finish their tails here.</summary>
    internal static EligibleSums SumEligibleScalar(ReadOnlySpan<ulong> stake, ReadOnlySpan<uint> reputationPpm, ReadOnlySpan<uint> uptimePpm, VotingWeightRules rules, int start, EligibleSums sums)
    {
        var (stakeSum, reputationSum, uptimeSum, count, maxStake, maxReputation, maxUptime) = sums;
        for (var i = start; i < stake.Length; i++)
        {
            var s = stake[i];
            ulong r = reputationPpm[i];
            ulong u = uptimePpm[i];
            maxStake = Math.Max(maxStake, s);
            maxReputation = Math.Max(maxReputation, r);
            maxUptime = Math.Max(maxUptime, u);
            if (s >= rules.MinimumStake && u >= rules.MinimumUptimePpm)
            {
                stakeSum += s;
                reputationSum += r;
                uptimeSum += u;
                count++;
            }
        }

        return new EligibleSums(stakeSum, reputationSum, uptimeSum, count, maxStake, maxReputation, maxUptime);
    }

    internal static (ulong Total, ulong Largest) UncappedWeightsScalar(ReadOnlySpan<ulong> stake, ReadOnlySpan<uint> reputationPpm, ReadOnlySpan<uint> uptimePpm, Span<ulong> weights, VotingWeightRules rules, in ShareDivisors shares) =>
        UncappedWeightsScalar(stake, reputationPpm, uptimePpm, weights, rules, shares, 0, 0, 0);

    internal static (ulong Total, ulong Largest) UncappedWeightsScalar(ReadOnlySpan<ulong> stake, ReadOnlySpan<uint> reputationPpm, ReadOnlySpan<uint> uptimePpm, Span<ulong> weights, VotingWeightRules rules, in ShareDivisors shares, int start, ulong total, ulong largest)
    {
        for (var i = start; i < stake.Length; i++)
        {
            var s = stake[i];
            ulong u = uptimePpm[i];
            ulong weight = 0;
            if (s >= rules.MinimumStake && u >= rules.MinimumUptimePpm)
            {
                // Each share is floored on its own, then the three are added: the documented rounding.
                weight = shares.Stake.Divide(s * StakePart)
                    + shares.Reputation.Divide(reputationPpm[i] * shares.ReputationPart)
                    + shares.Uptime.Divide(u * UptimePart);
            }

            weights[i] = weight;
            total += weight;
            largest = Math.Max(largest, weight);
        }

        return (total, largest);
    }

    internal static (int Count, ulong Sum) CountAboveScalar(ReadOnlySpan<ulong> weights, ulong threshold) =>
        CountAboveScalar(weights, threshold, 0, 0, 0);

    internal static (int Count, ulong Sum) CountAboveScalar(ReadOnlySpan<ulong> weights, ulong threshold, int start, int count, ulong sum)
    {
        for (var i = start; i < weights.Length; i++)
        {
            if (weights[i] > threshold)
            {
                count++;
                sum += weights[i];
            }
        }

        return (count, sum);
    }

    internal static ulong RescaleScalar(Span<ulong> weights, ulong threshold, ulong cap, ulong free, in ExactDivisor uncappedSum) =>
        RescaleScalar(weights, threshold, cap, free, uncappedSum, 0, 0);

    /// <summary>Capped validators get exactly the cap; the others ⌊w·F/Wu⌋. Returns the new total.</summary>
    internal static ulong RescaleScalar(Span<ulong> weights, ulong threshold, ulong cap, ulong free, in ExactDivisor uncappedSum, int start, ulong total)
    {
        for (var i = start; i < weights.Length; i++)
        {
            var w = weights[i];
            var scaled = w > threshold ? cap : uncappedSum.Divide(w * free);
            weights[i] = scaled;
            total += scaled;
        }

        return total;
    }
}
