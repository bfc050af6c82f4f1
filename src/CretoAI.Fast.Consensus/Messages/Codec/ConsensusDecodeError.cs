namespace CretoAI.Fast.Consensus.Messages.Codec;

/// <summary>
/// Why bytes are not a valid consensus payload. Every decoder in this folder answers any input with
/// one of these values and never throws. Logged and counted per peer: never renumber.
/// </summary>
public enum ConsensusDecodeError : byte
{
    /// <summary>Decoded.</summary>
    None = 0,

    /// <summary>The input ends before the structure it declares (including a count whose elements cannot fit in what is left).</summary>
    Truncated = 1,

    /// <summary>The first byte is not a <see cref="ConsensusMessageTag"/> this version knows.</summary>
    UnknownTag = 2,

    /// <summary>Bytes follow a complete structure.</summary>
    TrailingBytes = 3,

    /// <summary>A block declares more transactions than <see cref="ConsensusCodecLimits.MaxTransactionsPerBlock"/>.</summary>
    TooManyTransactions = 4,

    /// <summary>A transaction is longer than <see cref="ConsensusCodecLimits.MaxTransactionBytes"/>.</summary>
    TransactionTooLarge = 5,

    /// <summary>A certificate declares more signatures than <see cref="ConsensusCodecLimits.MaxValidators"/>.</summary>
    TooManySignatures = 6,

    /// <summary>A signature is longer than <see cref="ConsensusCodecLimits.MaxSignatureBytes"/>.</summary>
    SignatureTooLarge = 7,

    /// <summary>A signer bitmap has more 64-bit words than <see cref="ConsensusCodecLimits.MaxValidators"/> needs.</summary>
    BitmapTooLarge = 8,

    /// <summary>A block declares more evidence than <see cref="ConsensusCodecLimits.MaxEvidencePerBlock"/>.</summary>
    TooManyEvidence = 9,

    /// <summary>A block response or sync batch declares more blocks than <see cref="ConsensusCodecLimits.MaxBlocksPerBatch"/>.</summary>
    TooManyBlocks = 10,

    /// <summary>A field holds a value outside its range: an index, a flag, a signed kind, an ancestor count, a zero sync bound.</summary>
    BadValue = 11,

    /// <summary>One encoded block is longer than <see cref="ConsensusCodecLimits.MaxBlockBytes"/>.</summary>
    BlockTooLarge = 12,

    /// <summary>A committed block's certificate does not certify it (block id, round or height differ).</summary>
    CertificateMismatch = 13,
}
