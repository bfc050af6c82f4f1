namespace CretoAI.Fast.Reputation.Scores;

/// <summary>One change of a subject's reputation: why, where in the chain, by how much (after clamping) and the score after it.</summary>
public readonly record struct ReputationHistoryEntry(ReputationCause Cause, Offence Offence, ulong Height, int DeltaPpm, uint ScoreAfterPpm);
