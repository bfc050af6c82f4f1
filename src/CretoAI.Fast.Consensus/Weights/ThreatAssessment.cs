namespace CretoAI.Fast.Consensus.Weights;

/// <summary>What the adaptive quorum concluded after one committed block (for logs and metrics).</summary>
/// <param name="Height">The committed block.</param>
/// <param name="DistinctByzantine">Distinct validators with evidence committed in the window.</param>
/// <param name="StabilityPpm">Share of the last rounds that produced a block on the committed chain (ppm).</param>
/// <param name="Target">The level the current evidence and stability call for.</param>
/// <param name="Decided">The level decided so far (may be above <paramref name="Target"/> while waiting for calm).</param>
/// <param name="Changed">True when this block changed the decided level.</param>
/// <param name="EffectiveHeight">When <paramref name="Changed"/>: the first height that uses the new level.</param>
public readonly record struct ThreatAssessment(ulong Height, int DistinctByzantine, uint StabilityPpm, ThreatLevel Target, ThreatLevel Decided, bool Changed, ulong EffectiveHeight);
