namespace CretoAI.Fast.Consensus.Signing;

/// <summary>The kind of a signed consensus statement; the first byte of its signed bytes and part of its context string.</summary>
public enum SignedKind : byte
{
    Proposal = 1,
    Vote = 2,
    Timeout = 3,
}
