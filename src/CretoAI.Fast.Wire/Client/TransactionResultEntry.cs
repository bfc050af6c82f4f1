using CretoAI.Fast.Core;

namespace CretoAI.Fast.Wire.Client;

/// <summary>
/// One transaction of a committed block as clients see it: its id (SHA3-256 of the envelope), the
/// verdict the chain gave it (<see cref="TransactionVerdicts"/>) and, for verdicts that refuse it,
/// why (UTF-8, at most <see cref="CommittedBlockMessage.MaxReasonBytes"/> bytes; null when there is
/// none — an empty reason is not distinguished from none on the wire).
/// </summary>
public readonly record struct TransactionResultEntry(Hash32 Id, byte Verdict, string? Reason);
