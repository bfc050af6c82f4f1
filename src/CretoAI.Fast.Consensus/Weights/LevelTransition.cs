namespace CretoAI.Fast.Consensus.Weights;

/// <summary>From <paramref name="EffectiveHeight"/> on (until the next transition) the threshold of <paramref name="Level"/> applies.</summary>
public readonly record struct LevelTransition(ulong EffectiveHeight, ThreatLevel Level);
