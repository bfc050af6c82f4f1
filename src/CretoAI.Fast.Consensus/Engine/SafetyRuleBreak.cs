namespace CretoAI.Fast.Consensus.Engine;

/// <summary>
/// TEST ONLY: deliberately break one safety rule so tests can show the simulator's invariant checker
/// catches an unsafe protocol. Never set outside tests.
/// </summary>
public enum SafetyRuleBreak
{
    None = 0,

    /// <summary>Vote for any block in a new round, ignoring the lock (the consecutive-QC / TC high-QC rule).</summary>
    IgnoreLock = 1,
}
