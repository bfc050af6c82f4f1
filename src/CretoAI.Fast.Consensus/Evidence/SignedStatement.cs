using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Evidence;

/// <summary>One signed proposal-or-vote statement inside equivocation evidence: which block, at which height, and the signature.</summary>
public sealed record SignedStatement(ulong Height, Hash32 BlockId, byte[] Signature);
