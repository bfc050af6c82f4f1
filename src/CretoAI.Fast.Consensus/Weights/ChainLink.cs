using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Weights;

/// <summary>One certified block of a chain: its height, id, and the weight accumulated from genesis through it.</summary>
/// <param name="Height">Height of the block.</param>
/// <param name="BlockId">Id of the block.</param>
/// <param name="CumulativeWeight">Sum of the certifying weights of every block up to this one (computed locally by the caller).</param>
public readonly record struct ChainLink(ulong Height, Hash32 BlockId, ulong CumulativeWeight);
