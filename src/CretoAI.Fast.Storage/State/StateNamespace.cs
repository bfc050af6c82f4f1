namespace CretoAI.Fast.Storage.State;

/// <summary>
/// The tag that keeps one state machine's keys apart from another's (it is hashed into every
/// <see cref="StateKey"/>). One registry for the whole node so two owners can never pick the same
/// tag. Persisted: never renumber, only add.
/// </summary>
public enum StateNamespace : byte
{
    /// <summary>Bookkeeping of the state itself (the digest record); never part of the digest.</summary>
    Meta = 0,

    /// <summary>Reputation score and last-decay tick of one subject (validator or agent).</summary>
    ReputationRecord = 1,

    /// <summary>The last changes of one subject's reputation.</summary>
    ReputationHistory = 2,

    /// <summary>Stake account of one validator: balances, bonds, unbondings, nonce.</summary>
    StakeAccount = 3,

    /// <summary>The last stake operations of one validator.</summary>
    StakeHistory = 4,

    /// <summary>One record per piece of evidence already slashed (replays are refused).</summary>
    SlashedEvidence = 5,

    /// <summary>Chain-wide stake bookkeeping: the list of validators with accounts, the slash pool, supply.</summary>
    StakeLedger = 6,

    /// <summary>Per-validator participation counters of the current epoch (uptime, missed windows).</summary>
    Participation = 7,

    /// <summary>Chain-wide progress of the validator ledger (height, epoch, threat level snapshot).</summary>
    ValidatorLedger = 8,

    /// <summary>One record per reported offence: who reported it so far, and whether it is confirmed.</summary>
    OffenceReports = 9,

    /// <summary>Replay-protection nonce of one transaction sender, for every kind outside stake (payloads, agent operations).</summary>
    AccountNonce = 10,

    /// <summary>One registered agent: public key, display name, tags, status, heights.</summary>
    AgentRecord = 11,

    /// <summary>The validators who voted one policy action on one agent (until it reaches a quorum).</summary>
    AgentPolicyVotes = 12,
}
