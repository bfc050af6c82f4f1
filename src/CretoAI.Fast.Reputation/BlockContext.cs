namespace CretoAI.Fast.Reputation;

/// <summary>
/// Where in the committed chain an operation is applied: the block's height and timestamp. State
/// machines take all time from here, never from a local clock, so every replica agrees.
/// </summary>
public readonly record struct BlockContext(ulong Height, ulong TimestampMs);
