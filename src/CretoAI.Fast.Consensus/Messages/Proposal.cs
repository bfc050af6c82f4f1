namespace CretoAI.Fast.Consensus.Messages;

/// <summary>A leader's signed proposal of a block for its round, with the TC that let it enter the round when the previous round timed out.</summary>
public sealed class Proposal : ConsensusMessage
{
    public Proposal(Block block, byte[] signature, TimeoutCertificate? lastRoundTc)
        : base(block?.Epoch ?? throw new ArgumentNullException(nameof(block)))
    {
        Block = block;
        Signature = signature ?? throw new ArgumentNullException(nameof(signature));
        LastRoundTc = lastRoundTc;
    }

    public Block Block { get; }

    public ulong Round => Block.Round;

    public byte[] Signature { get; }

    public TimeoutCertificate? LastRoundTc { get; }

    public override string ToString() => $"Proposal({Block})";
}
