namespace CretoAI.Fast.Routing.Registry;

/// <summary>
/// Why the agent registry refused an operation; the code of the <c>ApplierOutcome</c>. A refused
/// operation writes nothing (and the ledger does not consume the nonce). Reported to clients: never renumber.
/// </summary>
public enum AgentRejection : byte
{
    /// <summary>Applied.</summary>
    None = 0,

    /// <summary>A register from an agent id that already has a record.</summary>
    AlreadyRegistered = 1,

    /// <summary>An update, revoke, suspend or reinstate of an id that has no record.</summary>
    NotRegistered = 2,

    /// <summary>The agent is revoked (by itself or by policy); nothing more can happen to its id.</summary>
    Revoked = 3,

    /// <summary>An update or a suspension of a suspended agent.</summary>
    Suspended = 4,

    /// <summary>The display name is empty, longer than 64 bytes, not UTF-8, or holds a control character.</summary>
    NameInvalid = 5,

    /// <summary>More than 16 tags.</summary>
    TooManyTags = 6,

    /// <summary>A tag is empty, longer than 32 bytes, has a byte outside [a-z0-9._-], or repeats another.</summary>
    TagInvalid = 7,

    /// <summary>The body is not in the kind's layout (lengths that do not add up, bytes left over, a body where none belongs).</summary>
    MalformedBody = 8,

    /// <summary>A reinstatement of an agent that is not suspended.</summary>
    NotSuspended = 9,

    /// <summary>A policy vote from a sender that is not in the block's validator set.</summary>
    NotAValidator = 10,

    /// <summary>A policy vote the validator already cast (same agent, action and record height).</summary>
    AlreadyVoted = 11,

    /// <summary>A policy vote on a record height that is not the agent's last change: the record changed since the vote was made.</summary>
    StaleDecision = 12,

    /// <summary>A policy vote on a registry that has no validator quorum to count it (<see cref="AgentRegistry.GovernBy"/>).</summary>
    PolicyUnavailable = 13,
}
