namespace CretoAI.Fast.Consensus.Engine;

public enum ConsensusInputKind
{
    MessageReceived = 1,
    TimerFired = 2,
    TransactionsOffered = 3,
}
