using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Certificates;

/// <summary>
/// Builds certificates with the fewest signatures that reach the threshold: ML-DSA-87 signatures are
/// 4,627 bytes and cannot be aggregated, so the heaviest signers are taken first and the rest left out.
/// </summary>
public static class CertificateBuilder
{
    /// <summary>The fewest signers (heaviest first, index as tie-break) reaching the quorum, or null if the candidates do not.</summary>
    public static IReadOnlyList<int>? SelectFewest(ValidatorSet validators, IReadOnlyCollection<int> candidates, ThreatLevel level)
    {
        ArgumentNullException.ThrowIfNull(validators);
        ArgumentNullException.ThrowIfNull(candidates);
        var ordered = candidates.ToList();
        ordered.Sort((a, b) =>
        {
            var byWeight = validators.WeightOf(b).CompareTo(validators.WeightOf(a));
            return byWeight != 0 ? byWeight : a.CompareTo(b);
        });
        ulong weight = 0;
        for (var i = 0; i < ordered.Count; i++)
        {
            weight += validators.WeightOf(ordered[i]);
            if (validators.ReachesQuorum(weight, level))
            {
                var chosen = ordered.GetRange(0, i + 1);
                chosen.Sort();
                return chosen;
            }
        }

        return null;
    }

    public static QuorumCertificate BuildQc(ValidatorSet validators, ulong round, ulong height, Hash32 blockId, IReadOnlyDictionary<int, byte[]> votes, ThreatLevel level)
    {
        ArgumentNullException.ThrowIfNull(votes);
        var chosen = SelectFewest(validators, votes.Keys.ToList(), level)
            ?? throw new InvalidOperationException("The votes do not reach the quorum.");
        var bitmap = new ulong[validators.BitmapWords];
        var signatures = new byte[chosen.Count][];
        for (var i = 0; i < chosen.Count; i++)
        {
            bitmap[chosen[i] / 64] |= 1UL << (chosen[i] % 64);
            signatures[i] = votes[chosen[i]];
        }

        return new QuorumCertificate(validators.Epoch, round, height, blockId, bitmap, signatures);
    }

    public static TimeoutCertificate BuildTc(ValidatorSet validators, ulong round, IReadOnlyDictionary<int, TimeoutMessage> timeouts, ThreatLevel level)
    {
        ArgumentNullException.ThrowIfNull(validators);
        ArgumentNullException.ThrowIfNull(timeouts);
        var chosen = SelectFewest(validators, timeouts.Keys.ToList(), level)
            ?? throw new InvalidOperationException("The timeouts do not reach the quorum.");
        var bitmap = new ulong[validators.BitmapWords];
        var rounds = new ulong[chosen.Count];
        var signatures = new byte[chosen.Count][];
        QuorumCertificate? high = null;
        for (var i = 0; i < chosen.Count; i++)
        {
            var t = timeouts[chosen[i]];
            bitmap[chosen[i] / 64] |= 1UL << (chosen[i] % 64);
            rounds[i] = t.HighQc.Round;
            signatures[i] = t.Signature;
            if (high is null || t.HighQc.Round > high.Round)
            {
                high = t.HighQc;
            }
        }

        return new TimeoutCertificate(validators.Epoch, round, bitmap, rounds, signatures, high!);
    }
}
