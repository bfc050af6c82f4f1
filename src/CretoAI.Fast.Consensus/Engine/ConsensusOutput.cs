namespace CretoAI.Fast.Consensus.Engine;

/// <summary>
/// One effect the driver must carry out, in order. In particular a <see cref="PersistSafetyState"/>
/// precedes the vote or timeout it protects: persist it durably before sending what follows.
/// </summary>
public abstract class ConsensusOutput;
