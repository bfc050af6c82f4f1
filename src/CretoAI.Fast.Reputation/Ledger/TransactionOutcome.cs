using CretoAI.Fast.Core;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Reputation.Ledger;

/// <summary>The verdict on transaction <paramref name="Index"/> of a block, with a reason an operator can read when it was not applied.</summary>
public readonly record struct TransactionOutcome(int Index, TransactionKind Kind, Hash32 Sender, TransactionVerdict Verdict, string? Reason);
