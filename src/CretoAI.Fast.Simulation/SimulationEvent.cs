using CretoAI.Fast.Consensus.Messages;

namespace CretoAI.Fast.Simulation;

/// <summary>Something scheduled on the virtual clock; ordered by (time, sequence number) so ties replay identically.</summary>
internal readonly record struct SimulationEvent(SimulationEventKind Kind, int Instance, int From, ConsensusMessage? Message, ulong Round, long Generation);
