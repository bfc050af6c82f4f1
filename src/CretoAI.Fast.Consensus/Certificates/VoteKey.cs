using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Certificates;

/// <summary>What one vote signature covers (besides chain and epoch, fixed per verifier): the cache key of verified votes.</summary>
public readonly record struct VoteKey(ulong Round, ulong Height, Hash32 BlockId, int Voter);
