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

    /// <summary>Opaque application payload, ordered and committed but not interpreted by the validator ledger.</summary>
    Payload = 32,
}
