using CretoAI.Fast.Consensus.Evidence;

namespace CretoAI.Fast.Consensus.Messages;

/// <summary>Gossip of equivocation evidence so every validator can include it in a block.</summary>
public sealed class EvidenceMessage : ConsensusMessage
{
    public EvidenceMessage(EquivocationEvidence evidence)
        : base(evidence?.Epoch ?? throw new ArgumentNullException(nameof(evidence))) => Evidence = evidence;

    public EquivocationEvidence Evidence { get; }
}
