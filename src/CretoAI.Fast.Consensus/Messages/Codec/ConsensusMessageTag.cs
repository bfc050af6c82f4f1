namespace CretoAI.Fast.Consensus.Messages.Codec;

/// <summary>
/// The first byte of a <see cref="ConsensusCodec"/> payload: which message follows. Part of the wire
/// contract in docs/protocol.md; never renumber, only add. Proposal, vote and timeout share their
/// numbers with <see cref="Signing.SignedKind"/>.
/// </summary>
public enum ConsensusMessageTag : byte
{
    /// <summary>Reserved: never written; a payload starting with 0 is <see cref="ConsensusDecodeError.UnknownTag"/>.</summary>
    None = 0,

    /// <summary>A <see cref="Proposal"/>.</summary>
    Proposal = 1,

    /// <summary>A <see cref="Vote"/>.</summary>
    Vote = 2,

    /// <summary>A <see cref="TimeoutMessage"/>.</summary>
    Timeout = 3,

    /// <summary>An <see cref="EvidenceMessage"/>.</summary>
    Evidence = 4,

    /// <summary>A <see cref="BlockRequest"/>.</summary>
    BlockRequest = 5,

    /// <summary>A <see cref="BlockResponse"/>.</summary>
    BlockResponse = 6,
}
