namespace CretoAI.Fast.Consensus.Messages;

/// <summary>
/// A validator's signed statement that it gives up on a round, with its highest QC (so the next
/// leader can extend it) and, if it entered the round through a TC, that TC (so laggards catch up).
/// </summary>
public sealed class TimeoutMessage : ConsensusMessage
{
    public TimeoutMessage(ulong epoch, ulong round, QuorumCertificate highQc, int voterIndex, byte[] signature, TimeoutCertificate? lastRoundTc)
        : base(epoch)
    {
        Round = round;
        HighQc = highQc ?? throw new ArgumentNullException(nameof(highQc));
        VoterIndex = voterIndex;
        Signature = signature ?? throw new ArgumentNullException(nameof(signature));
        LastRoundTc = lastRoundTc;
    }

    public ulong Round { get; }

    public QuorumCertificate HighQc { get; }

    public int VoterIndex { get; }

    public byte[] Signature { get; }

    public TimeoutCertificate? LastRoundTc { get; }

    public override string ToString() => $"Timeout(r{Round} by {VoterIndex}, hqc r{HighQc.Round})";
}
