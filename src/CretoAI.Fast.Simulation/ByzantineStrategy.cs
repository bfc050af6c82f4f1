namespace CretoAI.Fast.Simulation;

/// <summary>What a Byzantine validator does on top of running the honest code.</summary>
public enum ByzantineStrategy
{
    /// <summary>As leader, sends one proposal to half the validators and a different one to the rest.</summary>
    EquivocatingLeader = 0,

    /// <summary>Votes for the proposal and also for a made-up block in the same round.</summary>
    DoubleVoting = 1,

    /// <summary>Never sends its votes or timeouts.</summary>
    Withholding = 2,

    /// <summary>Corrupts the signature of everything it signs.</summary>
    InvalidSignatures = 3,

    /// <summary>Re-sends old messages it has seen to random validators.</summary>
    Replay = 4,

    /// <summary>Votes for blocks that do not exist instead of the proposal.</summary>
    UnknownBlockVotes = 5,

    /// <summary>As leader, proposes a block extending an old QC, trying to fork below the lock.</summary>
    ForkingLeader = 6,
}
