using CretoAI.Fast.Consensus.Messages;

namespace CretoAI.Fast.Consensus.Engine;

/// <summary>
/// What a validator must remember across a crash to stay safe: the highest round it voted or timed
/// out in (never vote twice in a round), its lock (the highest QC round it has seen) and that QC.
/// The engine emits a <see cref="PersistSafetyState"/> output before every vote or timeout it sends;
/// the driver must make it durable before it sends the messages that follow it.
/// </summary>
public sealed record SafetyState(ulong Epoch, ulong LastVotedRound, ulong LockedRound, QuorumCertificate HighQc);
