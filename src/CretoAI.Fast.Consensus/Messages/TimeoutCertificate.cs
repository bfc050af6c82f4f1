namespace CretoAI.Fast.Consensus.Messages;

/// <summary>
/// Proof that a quorum gave up on <see cref="Round"/>. Each signer signed (round, its highest QC
/// round); those rounds are listed in bitmap order next to the signatures. <see cref="HighQc"/> is the
/// certificate with the largest of those rounds, so whoever receives the TC can extend it.
/// </summary>
public sealed class TimeoutCertificate
{
    public TimeoutCertificate(ulong epoch, ulong round, ulong[] signerBitmap, ulong[] highQcRounds, byte[][] signatures, QuorumCertificate highQc)
    {
        Epoch = epoch;
        Round = round;
        SignerBitmap = signerBitmap ?? throw new ArgumentNullException(nameof(signerBitmap));
        HighQcRounds = highQcRounds ?? throw new ArgumentNullException(nameof(highQcRounds));
        Signatures = signatures ?? throw new ArgumentNullException(nameof(signatures));
        HighQc = highQc ?? throw new ArgumentNullException(nameof(highQc));
    }

    public ulong Epoch { get; }

    public ulong Round { get; }

    public IReadOnlyList<ulong> SignerBitmap { get; }

    public IReadOnlyList<ulong> HighQcRounds { get; }

    public IReadOnlyList<byte[]> Signatures { get; }

    public QuorumCertificate HighQc { get; }

    internal ulong[] BitmapArray => (ulong[])SignerBitmap;

    /// <summary>The largest highest-QC round any signer reported: a block after this TC must extend a QC at least this high.</summary>
    public ulong MaxHighQcRound
    {
        get
        {
            ulong max = 0;
            foreach (var r in HighQcRounds)
            {
                max = Math.Max(max, r);
            }

            return max;
        }
    }

    public override string ToString() => $"TC(r{Round} {Signatures.Count} signers, hqc r{HighQc.Round})";
}
