namespace CretoAI.Fast.Consensus.Weights;

/// <summary>
/// One piece of committed evidence as the adaptive quorum sees it. It is only fed once the block carrying it
/// is committed, and it counts at that block's timestamp (never a local clock).
/// </summary>
/// <param name="ValidatorIndex">Offender, as an index into the validator set in force at the committing block.</param>
/// <param name="Behaviour">What was proven.</param>
/// <param name="OffenceHeight">Height at which the offence happened (informational; the window uses commit time).</param>
public readonly record struct ByzantineEvidence(int ValidatorIndex, ByzantineBehaviour Behaviour, ulong OffenceHeight);
