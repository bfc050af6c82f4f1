using CretoAI.Fast.Core;

namespace CretoAI.Fast.Reputation.Ledger;

/// <summary>One slash applied by a block: whom, for what, how much stake went to the slash pool.</summary>
public readonly record struct SlashRecord(Hash32 Validator, Offence Offence, ulong Amount, Hash32 EvidenceId);
