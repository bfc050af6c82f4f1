namespace CretoAI.Fast.Consensus.Weights;

/// <summary>The kind of committed misbehaviour a piece of evidence proves. Persisted; do not renumber.</summary>
public enum ByzantineBehaviour : byte
{
    /// <summary>Two conflicting signed proposals or votes for one round.</summary>
    Equivocation = 1,

    /// <summary>A message whose signature does not verify under the sender's key.</summary>
    InvalidSignature = 2,

    /// <summary>A well-signed message that breaks a protocol rule (invalid block, impossible QC, ...).</summary>
    InvalidMessage = 3,
}
