namespace CretoAI.Fast.Reputation.Scores;

/// <summary>What one <see cref="ReputationTracker.Apply"/> did: the score before (decayed to the block's time) and after.</summary>
public readonly record struct ReputationChange(uint BeforePpm, uint AfterPpm)
{
    public int DeltaPpm => (int)AfterPpm - (int)BeforePpm;
}
