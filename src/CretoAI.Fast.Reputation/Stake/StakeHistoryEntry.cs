namespace CretoAI.Fast.Reputation.Stake;

/// <summary>One applied stake operation of a validator.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Height">Height of the block that applied it.</param>
/// <param name="TimestampMs">Timestamp of that block.</param>
/// <param name="Amount">Units moved.</param>
/// <param name="Offence">The offence punished, for <see cref="StakeEventKind.Slash"/> only.</param>
public readonly record struct StakeHistoryEntry(StakeEventKind Kind, ulong Height, ulong TimestampMs, ulong Amount, Offence? Offence);
