namespace CretoAI.Fast.Wire.Transactions;

/// <summary>What a signed transaction asks the chain to do; it selects the body layout. Persisted in blocks: never renumber.</summary>
public enum TransactionKind : byte
{
    /// <summary>Never valid on the wire; what a verdict names when the bytes did not parse.</summary>
    Unknown = 0,

    /// <summary>Move liquid balance into bonded stake. Body: amount (u64).</summary>
    Bond = 1,

    /// <summary>Start unbonding bonded stake (takes the unbonding period). Body: amount (u64).</summary>
    Unbond = 2,

    /// <summary>Move every matured unbonding back to the liquid balance. Body: empty.</summary>
    Withdraw = 3,

    /// <summary>
    /// A validator reports an offence that no signed evidence can prove (invalid block, invalid
    /// signature, double-sign of a commit). Body: offender id (32 B), offence (u8), height of the
    /// offence (u64). Confirmed once validators holding a quorum of weight have reported it.
    /// </summary>
    Report = 4,

    /// <summary>
    /// An agent registers itself: the sender's key becomes the agent's identity (agent id = SHA3-256
    /// of it). Body: display name and tags (docs/agents.md). Applied by the agent registry; carries the
    /// sender's account nonce.
    /// </summary>
    AgentRegister = 16,

    /// <summary>A registered, active agent replaces its display name and tags. Body: as <see cref="AgentRegister"/>. Account nonce.</summary>
    AgentUpdate = 17,

    /// <summary>An agent revokes its own registration, for good. Body: empty. Account nonce.</summary>
    AgentRevoke = 18,

    /// <summary>
    /// A validator's vote to suspend, reinstate or revoke an agent. Body: agent id (32 B), action (u8),
    /// height of the agent record's last change the vote judges (u64). Carried out once validators
    /// holding a quorum of weight voted the same. Applied by the agent registry; account nonce.
    /// </summary>
    AgentPolicy = 19,

    /// <summary>
    /// Opaque application payload: signature-checked, ordered and committed, with the sender's
    /// account nonce for replay protection; the validator ledger stores nothing of it but that nonce.
    /// </summary>
    Payload = 32,
}
