namespace CretoAI.Fast.Consensus.Engine;

/// <summary>Deliver <see cref="ConsensusInput.TimerFired"/> for <see cref="Round"/> at time <see cref="FireAt"/> (replaces any earlier timer).</summary>
public sealed class SetTimer(ulong round, long fireAt) : ConsensusOutput
{
    public ulong Round { get; } = round;

    public long FireAt { get; } = fireAt;
}
