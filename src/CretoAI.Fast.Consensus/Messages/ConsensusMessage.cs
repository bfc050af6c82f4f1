namespace CretoAI.Fast.Consensus.Messages;

/// <summary>Base of everything validators send each other. Messages are immutable once built.</summary>
public abstract class ConsensusMessage
{
    protected ConsensusMessage(ulong epoch) => Epoch = epoch;

    public ulong Epoch { get; }
}
