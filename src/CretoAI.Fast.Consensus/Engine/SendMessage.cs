using CretoAI.Fast.Consensus.Messages;

namespace CretoAI.Fast.Consensus.Engine;

/// <summary>Send a message to one validator.</summary>
public sealed class SendMessage(int to, ConsensusMessage message) : ConsensusOutput
{
    public int To { get; } = to;

    public ConsensusMessage Message { get; } = message;
}
