namespace CretoAI.Fast.Reputation.Ledger;

/// <summary>
/// What an <see cref="ITransactionApplier"/> did with a transaction: <see cref="TransactionVerdict.Applied"/>,
/// <see cref="TransactionVerdict.Rejected"/> (a rule refused it) or <see cref="TransactionVerdict.Malformed"/>
/// (the body is not in the kind's format), with the applier's own rejection code (0 when applied) and a
/// reason an operator can read.
/// </summary>
public readonly record struct ApplierOutcome(TransactionVerdict Verdict, byte Code, string? Reason)
{
    public static ApplierOutcome Applied { get; } = new(TransactionVerdict.Applied, 0, null);

    public static ApplierOutcome Rejected(byte code, string reason) => new(TransactionVerdict.Rejected, code, reason);

    public static ApplierOutcome Malformed(byte code, string reason) => new(TransactionVerdict.Malformed, code, reason);
}
