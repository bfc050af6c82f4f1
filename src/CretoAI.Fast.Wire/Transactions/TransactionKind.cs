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

    /// <summary>Opaque application payload, ordered and committed but not interpreted by the validator ledger.</summary>
    Payload = 32,
}
