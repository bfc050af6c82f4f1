using CretoAI.Fast.Consensus.Messages;

namespace CretoAI.Fast.Consensus.Engine;

/// <summary>A block is final; <see cref="Certificate"/> is the QC that certifies it. Emitted in height order.</summary>
public sealed class BlockCommitted(Block block, QuorumCertificate certificate) : ConsensusOutput
{
    public Block Block { get; } = block;

    public QuorumCertificate Certificate { get; } = certificate;
}
