namespace CretoAI.Fast.Consensus.Engine;

/// <summary>Make the safety state durable before sending anything that follows this output.</summary>
public sealed class PersistSafetyState(SafetyState state) : ConsensusOutput
{
    public SafetyState State { get; } = state;
}
