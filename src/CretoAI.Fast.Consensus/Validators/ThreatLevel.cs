namespace CretoAI.Fast.Consensus.Validators;

/// <summary>The adaptive-quorum level in force for a height; each level has an integer percentage threshold.</summary>
public enum ThreatLevel
{
    /// <summary>67 % of total weight.</summary>
    Normal = 0,

    /// <summary>75 % of total weight.</summary>
    Elevated = 1,

    /// <summary>82 % of total weight.</summary>
    High = 2,
}
