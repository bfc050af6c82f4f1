using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Weights;

/// <summary>
/// A block id at a height with the certificate that certified it. The certificate type is the caller's
/// (a quorum certificate, its encoded bytes, ...): fork detection only carries it into the alarm.
/// </summary>
public readonly record struct CertifiedBlock<TCertificate>(ulong Height, Hash32 BlockId, TCertificate Certificate);
