namespace CretoAI.Fast.Consensus.Weights;

/// <summary>
/// How hostile the network currently looks; decides the quorum threshold (see <see cref="QuorumThreshold"/>).
/// Ordered: a higher value is stricter. The numeric values are persisted in snapshots; do not renumber.
/// </summary>
public enum ThreatLevel : byte
{
    Normal = 0,
    Elevated = 1,
    High = 2,
}
