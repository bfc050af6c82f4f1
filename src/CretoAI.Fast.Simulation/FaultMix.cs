namespace CretoAI.Fast.Simulation;

/// <summary>Network and node faults active during the faulty phase of a run (all stop at the heal time).</summary>
[Flags]
public enum FaultMix
{
    None = 0,
    Drop = 1,
    Delay = 2,
    Duplicate = 4,
    Reorder = 8,
    Partition = 16,
    Crash = 32,
    All = Drop | Delay | Duplicate | Reorder | Partition | Crash,
}
