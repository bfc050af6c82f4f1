using System.Diagnostics;

namespace CretoAI.Fast.Consensus.Weights;

/// <summary>
/// Voting weights from stake, reputation and uptime, in integer fixed point so every node computes
/// bit-identical weights: weight = 40 % stake share + 40 % reputation share + 20 % uptime share of
/// <see cref="WeightScale"/>, then capped (15 % by default) with the excess redistributed proportionally.
/// Inputs are structure-of-arrays; the vector kernels (<c>Vector512</c>, <c>Vector256</c>) and the scalar
/// kernel give identical results (property-tested). The exact rules are in docs/weights.md.
/// </summary>
public static partial class VotingWeights
{
    /// <summary>The uncapped weights of all eligible candidates add up to this (less rounding dust).</summary>
    public const ulong WeightScale = 1_000_000_000;

    /// <summary>40 % of <see cref="WeightScale"/>: split among eligible candidates by stake.</summary>
    public const ulong StakePart = 400_000_000;

    /// <summary>40 % of <see cref="WeightScale"/>: split among eligible candidates by reputation.</summary>
    public const ulong ReputationPart = 400_000_000;

    /// <summary>20 % of <see cref="WeightScale"/>: split among eligible candidates by uptime.</summary>
    public const ulong UptimePart = 200_000_000;

    /// <summary>Reputation and uptime are parts per million: 1,000,000 is 1.0.</summary>
    public const uint PpmScale = 1_000_000;

    /// <summary>
    /// Largest stake accepted (10^10 units, 10,000 × the seed's per-validator maximum). It keeps
    /// stake × <see cref="StakePart"/> below 2^63, which the exact division relies on.
    /// </summary>
    public const ulong MaxStake = 10_000_000_000;

    /// <summary>Most candidates in one computation (2^24): keeps every sum far from overflow.</summary>
    public const int MaxCandidates = 1 << 24;

    /// <summary>Computes the weights with the seed's rules (<see cref="VotingWeightRules.Default"/>).</summary>
    public static WeightSummary Compute(ReadOnlySpan<ulong> stake, ReadOnlySpan<uint> reputationPpm, ReadOnlySpan<uint> uptimePpm, Span<ulong> weights) =>
        Compute(stake, reputationPpm, uptimePpm, weights, VotingWeightRules.Default, SimdPath.Auto);

    /// <summary>
    /// Writes one weight per candidate into <paramref name="weights"/> (0 for the ineligible). All four spans
    /// have the same length. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Too many candidates, or a stake, reputation or uptime out of range (the message names the index).</exception>
    public static WeightSummary Compute(ReadOnlySpan<ulong> stake, ReadOnlySpan<uint> reputationPpm, ReadOnlySpan<uint> uptimePpm, Span<ulong> weights, VotingWeightRules rules) =>
        Compute(stake, reputationPpm, uptimePpm, weights, rules, SimdPath.Auto);

    internal static WeightSummary Compute(ReadOnlySpan<ulong> stake, ReadOnlySpan<uint> reputationPpm, ReadOnlySpan<uint> uptimePpm, Span<ulong> weights, VotingWeightRules rules, SimdPath path)
    {
        var count = stake.Length;
        if (reputationPpm.Length != count || uptimePpm.Length != count || weights.Length != count)
        {
            throw new ArgumentException($"Stake ({count}), reputation ({reputationPpm.Length}), uptime ({uptimePpm.Length}) and weights ({weights.Length}) must have the same length.", nameof(weights));
        }

        if (count > MaxCandidates)
        {
            throw new ArgumentOutOfRangeException(nameof(stake), count, $"At most {MaxCandidates} candidates per computation.");
        }

        path = SimdPathSelector.Resolve(path);
        var sums = path switch
        {
            SimdPath.Vector512 => SumEligible512(stake, reputationPpm, uptimePpm, rules),
            SimdPath.Vector256 => SumEligible256(stake, reputationPpm, uptimePpm, rules),
            _ => SumEligibleScalar(stake, reputationPpm, uptimePpm, rules),
        };

        // The maxima ride along the summing pass so validation costs no extra pass over the inputs.
        if (sums.MaxStake > MaxStake || sums.MaxReputation > PpmScale || sums.MaxUptime > PpmScale)
        {
            ThrowOutOfRange(stake, reputationPpm, uptimePpm);
        }

        if (sums.EligibleCount == 0)
        {
            weights.Clear();
            return new WeightSummary(0, 0, 0, 0, 0);
        }

        var shares = new ShareDivisors(sums);
        var (uncappedTotal, largest) = path switch
        {
            SimdPath.Vector512 => UncappedWeights512(stake, reputationPpm, uptimePpm, weights, rules, shares),
            SimdPath.Vector256 => UncappedWeights256(stake, reputationPpm, uptimePpm, weights, rules, shares),
            _ => UncappedWeightsScalar(stake, reputationPpm, uptimePpm, weights, rules, shares),
        };

        var cap = CapFor(uncappedTotal, sums.EligibleCount, rules.CapPercent);
        if (largest <= cap)
        {
            return new WeightSummary(sums.EligibleCount, uncappedTotal, cap, 0, uncappedTotal);
        }

        // Water-filling. With K the capped set, F = T − |K|·cap is the weight left for the others and
        // Wu = Σ_{i∉K} w_i their uncapped sum; i joins K when its proportional share w_i·F/Wu exceeds cap,
        // i.e. (integers) when w_i > ⌊cap·Wu/F⌋. F/Wu only grows as K grows, so K = {i : w_i > threshold}
        // is a growing set and each round is one compare-and-sum pass; at most ⌊100/cap%⌋ + 1 rounds.
        var capped = 0;
        var free = uncappedTotal;
        var uncappedSum = uncappedTotal;
        var threshold = cap;
        while (true)
        {
            var (above, aboveSum) = path switch
            {
                SimdPath.Vector512 => CountAbove512(weights, threshold),
                SimdPath.Vector256 => CountAbove256(weights, threshold),
                _ => CountAboveScalar(weights, threshold),
            };

            if (above == capped)
            {
                break;
            }

            capped = above;
            free = uncappedTotal - ((ulong)capped * cap);
            uncappedSum = uncappedTotal - aboveSum;
            if (uncappedSum == 0)
            {
                break;
            }

            Debug.Assert(free > 0, "Joining validators always had a share above the cap, so weight is left for the rest.");
            threshold = cap * uncappedSum / free;
        }

        var rescale = new ExactDivisor(Math.Max(uncappedSum, 1));
        var total = path switch
        {
            SimdPath.Vector512 => Rescale512(weights, threshold, cap, free, rescale),
            SimdPath.Vector256 => Rescale256(weights, threshold, cap, free, rescale),
            _ => RescaleScalar(weights, threshold, cap, free, rescale),
        };

        return new WeightSummary(sums.EligibleCount, uncappedTotal, cap, capped, total);
    }

    /// <summary>
    /// ⌊T·cap%/100⌋, or ⌊T/n⌋ when n eligible validators cannot all stay under cap% (n·cap% &lt; 100): the
    /// smallest cap that is still feasible, which makes every weight equal.
    /// </summary>
    internal static ulong CapFor(ulong uncappedTotal, int eligibleCount, uint capPercent) =>
        (ulong)eligibleCount * capPercent >= 100
            ? uncappedTotal * capPercent / 100
            : uncappedTotal / (ulong)eligibleCount;

    private static void ThrowOutOfRange(ReadOnlySpan<ulong> stake, ReadOnlySpan<uint> reputationPpm, ReadOnlySpan<uint> uptimePpm)
    {
        for (var i = 0; i < stake.Length; i++)
        {
            if (stake[i] > MaxStake)
            {
                throw new ArgumentOutOfRangeException(nameof(stake), stake[i], $"Stake of candidate {i} is above the maximum {MaxStake}.");
            }

            if (reputationPpm[i] > PpmScale)
            {
                throw new ArgumentOutOfRangeException(nameof(reputationPpm), reputationPpm[i], $"Reputation of candidate {i} is above {PpmScale} ppm.");
            }

            if (uptimePpm[i] > PpmScale)
            {
                throw new ArgumentOutOfRangeException(nameof(uptimePpm), uptimePpm[i], $"Uptime of candidate {i} is above {PpmScale} ppm.");
            }
        }

        throw new UnreachableException("A maximum was out of range but no element was.");
    }

    /// <summary>Sums over the eligible candidates (and maxima over all of them, for validation).</summary>
    internal readonly record struct EligibleSums(ulong Stake, ulong Reputation, ulong Uptime, int EligibleCount, ulong MaxStake, ulong MaxReputation, ulong MaxUptime);

    /// <summary>
    /// The three divisions of the formula. A zero reputation sum (every eligible candidate at 0) makes the
    /// reputation part worth nothing rather than dividing by zero: numerator 0 over divisor 1.
    /// </summary>
    internal readonly struct ShareDivisors
    {
        public ShareDivisors(EligibleSums sums)
        {
            Stake = new ExactDivisor(sums.Stake);
            Uptime = new ExactDivisor(sums.Uptime);
            Reputation = new ExactDivisor(sums.Reputation == 0 ? 1 : sums.Reputation);
            ReputationPart = sums.Reputation == 0 ? 0 : VotingWeights.ReputationPart;
        }

        public ExactDivisor Stake { get; }

        public ExactDivisor Reputation { get; }

        public ExactDivisor Uptime { get; }

        public ulong ReputationPart { get; }
    }
}
