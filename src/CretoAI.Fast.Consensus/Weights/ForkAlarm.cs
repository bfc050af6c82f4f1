namespace CretoAI.Fast.Consensus.Weights;

/// <summary>
/// Safety alarm: two different blocks certified at one height. With correct certificates this proves that
/// Byzantine weight exceeded the bound of the threshold in force; both certificates are the evidence.
/// </summary>
public sealed record ForkAlarm<TCertificate>(ulong Height, CertifiedBlock<TCertificate> First, CertifiedBlock<TCertificate> Conflicting);
