using CretoAI.Fast.Consensus.Weights;

namespace CretoAI.Fast.Consensus.Tests.Weights;

/// <summary>
/// The weight rule of docs/weights.md written the slow, obvious way (128-bit products, cap set grown one
/// element test at a time), independent of the kernels' threshold trick.
/// </summary>
internal static class ReferenceWeights
{
    public static (ulong[] Weights, ulong Cap) Compute(ulong[] stake, uint[] reputation, uint[] uptime, VotingWeightRules rules)
    {
        var n = stake.Length;
        var eligible = new bool[n];
        UInt128 s = 0, r = 0, u = 0;
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            eligible[i] = stake[i] >= rules.MinimumStake && uptime[i] >= rules.MinimumUptimePpm;
            if (eligible[i])
            {
                s += stake[i];
                r += reputation[i];
                u += uptime[i];
                count++;
            }
        }

        var w = new ulong[n];
        if (count == 0)
        {
            return (w, 0);
        }

        ulong total = 0;
        for (var i = 0; i < n; i++)
        {
            if (eligible[i])
            {
                var stakeShare = (UInt128)stake[i] * 400_000_000 / s;
                var reputationShare = r == 0 ? 0 : (UInt128)reputation[i] * 400_000_000 / r;
                var uptimeShare = (UInt128)uptime[i] * 200_000_000 / u;
                w[i] = (ulong)(stakeShare + reputationShare + uptimeShare);
                total += w[i];
            }
        }

        var cap = count * rules.CapPercent >= 100 ? total * rules.CapPercent / 100 : total / (ulong)count;
        var capped = new bool[n];
        bool grew;
        do
        {
            grew = false;
            UInt128 free = total, rest = 0;
            for (var i = 0; i < n; i++)
            {
                if (capped[i])
                {
                    free -= cap;
                }
                else
                {
                    rest += w[i];
                }
            }

            for (var i = 0; i < n; i++)
            {
                if (!capped[i] && rest != 0 && (UInt128)w[i] * free > (UInt128)cap * rest)
                {
                    capped[i] = true;
                    grew = true;
                }
            }

            if (!grew)
            {
                var result = new ulong[n];
                for (var i = 0; i < n; i++)
                {
                    result[i] = capped[i] ? cap : rest == 0 ? 0 : (ulong)((UInt128)w[i] * free / rest);
                }

                return (result, cap);
            }
        }
        while (true);
    }
}
