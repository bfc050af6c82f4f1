namespace CretoAI.Fast.Reputation.Ledger;

/// <summary>What the ledger did with one transaction of a committed block.</summary>
public enum TransactionVerdict : byte
{
    /// <summary>Applied (a stake operation that passed every rule).</summary>
    Applied = 0,

    /// <summary>Not for the ledger (an application payload); ordered and committed, nothing else.</summary>
    NotInterpreted = 1,

    /// <summary>Not a well-formed signed transaction.</summary>
    Malformed = 2,

    /// <summary>Signed for another chain.</summary>
    WrongChain = 3,

    /// <summary>The signature does not verify under the sender's key.</summary>
    BadSignature = 4,

    /// <summary>Well signed, but a stake rule refused it (the outcome says which).</summary>
    Rejected = 5,
}
