using CretoAI.Fast.Consensus.Signing;

namespace CretoAI.Fast.Consensus.Evidence;

/// <summary>Identity of an offence, used to deduplicate evidence.</summary>
public readonly record struct EvidenceKey(SignedKind Kind, ulong Epoch, ulong Round, int ValidatorIndex);
