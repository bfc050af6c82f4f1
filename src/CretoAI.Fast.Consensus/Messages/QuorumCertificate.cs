using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Messages;

/// <summary>
/// Proof that a quorum voted for <see cref="BlockId"/> in <see cref="Round"/>: the signer bitmap
/// (bit i = validator i of the epoch's set) and one signature per set bit, in bitmap order. There is
/// no weight field: the weight is always tallied locally from the validator set.
/// </summary>
public sealed class QuorumCertificate
{
    public QuorumCertificate(ulong epoch, ulong round, ulong height, Hash32 blockId, ulong[] signerBitmap, byte[][] signatures)
    {
        Epoch = epoch;
        Round = round;
        Height = height;
        BlockId = blockId;
        SignerBitmap = signerBitmap ?? throw new ArgumentNullException(nameof(signerBitmap));
        Signatures = signatures ?? throw new ArgumentNullException(nameof(signatures));
    }

    public ulong Epoch { get; }

    public ulong Round { get; }

    /// <summary>Height of the certified block; selects the quorum level in force.</summary>
    public ulong Height { get; }

    public Hash32 BlockId { get; }

    public IReadOnlyList<ulong> SignerBitmap { get; }

    public IReadOnlyList<byte[]> Signatures { get; }

    /// <summary>True for the certificate of the genesis block, which carries no signatures.</summary>
    public bool IsGenesis => Round == 0 && Height == 0 && Signatures.Count == 0;

    internal ulong[] BitmapArray => (ulong[])SignerBitmap;

    internal byte[][] SignatureArray => (byte[][])Signatures;

    public int SignerCount
    {
        get
        {
            var count = 0;
            foreach (var word in SignerBitmap)
            {
                count += System.Numerics.BitOperations.PopCount(word);
            }

            return count;
        }
    }

    public override string ToString() => $"QC(r{Round} h{Height} {BlockId.ToShortString()} {SignerCount} signers)";
}
