using CretoAI.Fast.Consensus.Evidence;

namespace CretoAI.Fast.Consensus.Engine;

/// <summary>Verified equivocation evidence, for slashing and reputation.</summary>
public sealed class EvidenceFound(EquivocationEvidence evidence) : ConsensusOutput
{
    public EquivocationEvidence Evidence { get; } = evidence;
}
