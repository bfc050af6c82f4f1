namespace CretoAI.Fast.Reputation.Scores;

/// <summary>Why a reputation score changed. Persisted in history records: never renumber.</summary>
public enum ReputationCause : byte
{
    /// <summary>Set at genesis (or first sight) to the chain's start value.</summary>
    Genesis = 0,

    /// <summary>Proposed a block that was committed.</summary>
    BlockProposed = 1,

    /// <summary>Signed a certificate carried by a committed block.</summary>
    VoteCast = 2,

    /// <summary>Took part in a whole participation window.</summary>
    UptimeHeartbeat = 3,

    /// <summary>Reported a Byzantine validator and the report was confirmed (evidence committed).</summary>
    ReportConfirmed = 4,

    /// <summary>Committed an <see cref="Offence"/> (the entry names which).</summary>
    Offence = 5,
}
