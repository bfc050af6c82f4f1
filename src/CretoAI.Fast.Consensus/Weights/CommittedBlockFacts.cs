namespace CretoAI.Fast.Consensus.Weights;

/// <summary>What the adaptive quorum needs from a committed block: all of it is in the block, so every node agrees.</summary>
/// <param name="Height">Block height; the blocks are fed in height order with no gap.</param>
/// <param name="Round">Consensus round the block was proposed in; strictly increasing along the chain.</param>
/// <param name="TimestampMs">The block's timestamp (Unix milliseconds) as written by its proposer; non-decreasing.</param>
/// <param name="ValidatorCount">Validators in the set in force at this height (the base of the 5 % / 15 % rules).</param>
public readonly record struct CommittedBlockFacts(ulong Height, ulong Round, ulong TimestampMs, int ValidatorCount);
