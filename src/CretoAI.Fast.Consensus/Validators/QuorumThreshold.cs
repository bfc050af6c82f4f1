namespace CretoAI.Fast.Consensus.Validators;

/// <summary>
/// Integer quorum rule: a signer set of weight <c>w</c> out of <c>total</c> reaches level L when
/// <c>w * 100 >= total * pct(L)</c>. Computed in 128-bit so no weight sum can overflow; no floating point.
/// </summary>
public static class QuorumThreshold
{
    public static uint Percent(ThreatLevel level) => level switch
    {
        ThreatLevel.Normal => 67,
        ThreatLevel.Elevated => 75,
        ThreatLevel.High => 82,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown threat level."),
    };

    public static bool Reaches(ulong weight, ulong total, ThreatLevel level) =>
        (UInt128)weight * 100 >= (UInt128)total * Percent(level);

    /// <summary>The least weight that reaches the level: ceil(total * pct / 100).</summary>
    public static ulong MinimumWeight(ulong total, ThreatLevel level)
    {
        var product = (UInt128)total * Percent(level);
        return (ulong)((product + 99) / 100);
    }

    /// <summary>
    /// The least weight that must contain at least one honest signer when Byzantine weight is below
    /// <c>total - quorum</c>: used to join a timeout that honest nodes have started.
    /// </summary>
    public static bool ExceedsFaultBound(ulong weight, ulong total, ThreatLevel level) =>
        (UInt128)weight * 100 > (UInt128)total * (100 - Percent(level));
}
