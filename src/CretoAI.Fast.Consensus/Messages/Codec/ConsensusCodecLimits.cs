using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Messages.Codec;

/// <summary>
/// Bounds the decoders enforce before they allocate anything a payload asks for. Structural bounds,
/// deliberately above what the engine produces (the engine applies its own, tighter block limits),
/// so two nodes with different engine settings still read each other's messages.
/// </summary>
public sealed record ConsensusCodecLimits
{
    public static ConsensusCodecLimits Default { get; } = new();

    /// <summary>Transactions in one block.</summary>
    public int MaxTransactionsPerBlock { get; init; } = 4096;

    /// <summary>
    /// Bytes of one transaction: a signed envelope is 48 + 2,592 (key) + 4,627 (signature) bytes plus
    /// a body of at most 64 KiB, 72,803 bytes in all; 80 KiB leaves room.
    /// </summary>
    public int MaxTransactionBytes { get; init; } = 80 * 1024;

    /// <summary>Encoded bytes of one block, from its chain id to its last evidence.</summary>
    public int MaxBlockBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Validators in a set: bounds signer bitmaps (in 64-bit words), signature counts and validator indices.</summary>
    public int MaxValidators { get; init; } = 1024;

    /// <summary>Bytes of one signature (ML-DSA-87 signatures are 4,627).</summary>
    public int MaxSignatureBytes { get; init; } = 8 * 1024;

    /// <summary>Equivocation evidence in one block.</summary>
    public int MaxEvidencePerBlock { get; init; } = 64;

    /// <summary>Blocks in one <see cref="BlockResponse"/> or one sync batch.</summary>
    public int MaxBlocksPerBatch { get; init; } = 1024;

    /// <summary>64-bit words of the largest signer bitmap: one bit per validator.</summary>
    public int MaxBitmapWords => (MaxValidators + 63) / 64;

    /// <summary>Throws <see cref="InvalidSettingException"/> naming the first bad limit; returns this.</summary>
    public ConsensusCodecLimits Validate()
    {
        Check(MaxTransactionsPerBlock, 1, 1 << 20, "consensus.codec.max-transactions-per-block");
        Check(MaxTransactionBytes, 1, 1 << 30, "consensus.codec.max-transaction-bytes");
        Check(MaxBlockBytes, 1, 1 << 30, "consensus.codec.max-block-bytes");
        Check(MaxValidators, 1, 1 << 16, "consensus.codec.max-validators");
        Check(MaxSignatureBytes, 1, 1 << 20, "consensus.codec.max-signature-bytes");
        Check(MaxEvidencePerBlock, 0, 1 << 16, "consensus.codec.max-evidence-per-block");
        Check(MaxBlocksPerBatch, 1, 1 << 20, "consensus.codec.max-blocks-per-batch");
        return this;
    }

    private static void Check(int value, int min, int max, string setting)
    {
        if (value < min || value > max)
        {
            throw new InvalidSettingException(setting, $"{value:N0} is outside {min:N0}..{max:N0}.");
        }
    }
}
