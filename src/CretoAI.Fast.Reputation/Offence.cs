namespace CretoAI.Fast.Reputation;

/// <summary>
/// Misbehaviour the chain punishes. Each one has a reputation penalty (<see cref="Scores.ReputationRules"/>)
/// and, for the slashable ones, a stake slash (<see cref="Stake.StakeRules"/>). Persisted in history
/// records: never renumber.
/// </summary>
public enum Offence : byte
{
    /// <summary>No offence (history entries of rewards).</summary>
    None = 0,

    /// <summary>Two conflicting signed proposals or votes for one round (committed equivocation evidence).</summary>
    Equivocation = 1,

    /// <summary>A signature on a block conflicting with a committed block at the same height.</summary>
    DoubleSignCommit = 2,

    /// <summary>A well-signed block that breaks the chain's rules (confirmed report).</summary>
    InvalidBlock = 3,

    /// <summary>A message with a signature that does not verify (confirmed report).</summary>
    InvalidSignature = 4,

    /// <summary>Absent from every certificate for a whole downtime window.</summary>
    ProlongedDowntime = 5,

    /// <summary>The leader of a round whose block never made it into the certified chain.</summary>
    MissedProposal = 6,

    /// <summary>Absent from every certificate of a participation window.</summary>
    MissedVote = 7,
}
