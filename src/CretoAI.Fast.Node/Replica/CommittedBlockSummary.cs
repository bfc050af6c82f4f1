using CretoAI.Fast.Core;

namespace CretoAI.Fast.Node.Replica;

/// <summary>What clients may ask about a committed block.</summary>
public readonly record struct CommittedBlockSummary(ulong Height, Hash32 BlockHash, Hash32 StateHash, ulong Round, ulong TimestampMs, int TransactionCount);
