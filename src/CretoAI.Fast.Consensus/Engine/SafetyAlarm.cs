using CretoAI.Fast.Consensus.Messages;

namespace CretoAI.Fast.Consensus.Engine;

/// <summary>Two certified blocks conflict at one height: the safety assumption (Byzantine weight below the bound) is broken.</summary>
public sealed class SafetyAlarm(string reason, Block committed, Block conflicting) : ConsensusOutput
{
    public string Reason { get; } = reason;

    public Block Committed { get; } = committed;

    public Block Conflicting { get; } = conflicting;
}
