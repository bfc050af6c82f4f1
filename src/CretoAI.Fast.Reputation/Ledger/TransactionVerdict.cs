namespace CretoAI.Fast.Reputation.Ledger;

/// <summary>What the ledger did with one transaction of a committed block.</summary>
public enum TransactionVerdict : byte
{
    /// <summary>
    /// Applied: a stake operation or report that passed every rule, a payload with the sender's next
    /// account nonce, or an applier's kind its applier accepted.
    /// </summary>
    Applied = 0,

    /// <summary>Well signed, but no applier on this ledger handles its kind; ordered and committed, nothing else (no nonce consumed).</summary>
    NotInterpreted = 1,

    /// <summary>Not a well-formed signed transaction.</summary>
    Malformed = 2,

    /// <summary>Signed for another chain.</summary>
    WrongChain = 3,

    /// <summary>The signature does not verify under the sender's key.</summary>
    BadSignature = 4,

    /// <summary>Well signed, but a rule refused it: a stake rule, the account nonce, or the kind's applier (the outcome says which).</summary>
    Rejected = 5,
}
