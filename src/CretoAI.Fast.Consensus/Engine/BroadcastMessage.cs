using CretoAI.Fast.Consensus.Messages;

namespace CretoAI.Fast.Consensus.Engine;

/// <summary>Send a message to every other validator.</summary>
public sealed class BroadcastMessage(ConsensusMessage message) : ConsensusOutput
{
    public ConsensusMessage Message { get; } = message;
}
