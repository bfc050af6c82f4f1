namespace CretoAI.Fast.Consensus.Weights;

/// <summary>
/// Integer quorum thresholds: Normal 67 %, Elevated 75 %, High 82 % of the total weight. A vote set is a
/// quorum when signed·100 ≥ total·percent, so the minimum weight is ⌈total·percent / 100⌉, computed in
/// 128-bit so no total can overflow. No floating point: every node agrees on the exact boundary.
/// </summary>
public static class QuorumThreshold
{
    /// <summary>The threshold of <paramref name="level"/> in percent of the total weight.</summary>
    public static uint Percent(ThreatLevel level) => level switch
    {
        ThreatLevel.Normal => 67,
        ThreatLevel.Elevated => 75,
        ThreatLevel.High => 82,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown threat level."),
    };

    /// <summary>The least signed weight that forms a quorum: ⌈total·percent / 100⌉ (at least 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The total weight is 0 (no quorum can exist) or the level is unknown.</exception>
    public static ulong MinimumWeight(ulong totalWeight, ThreatLevel level)
    {
        if (totalWeight == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(totalWeight), totalWeight, "A validator set with no weight cannot form a quorum.");
        }

        var scaled = ((UInt128)totalWeight * Percent(level)) + 99;
        return (ulong)(scaled / 100);
    }

    /// <summary>Whether <paramref name="signedWeight"/> reaches the quorum of <paramref name="level"/>.</summary>
    public static bool IsReached(ulong signedWeight, ulong totalWeight, ThreatLevel level) =>
        signedWeight >= MinimumWeight(totalWeight, level);

    /// <summary>
    /// Whether <paramref name="weight"/> is more than the Byzantine weight the level tolerates
    /// (weight·100 &gt; total·(100 − percent)), so it contains at least one honest signer: consensus uses
    /// it to join a timeout that honest nodes have started.
    /// </summary>
    public static bool ExceedsFaultBound(ulong weight, ulong totalWeight, ThreatLevel level) =>
        (UInt128)weight * 100 > (UInt128)totalWeight * (100 - Percent(level));
}
