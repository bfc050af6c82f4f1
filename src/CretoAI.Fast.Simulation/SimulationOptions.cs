using CretoAI.Fast.Consensus.Engine;

namespace CretoAI.Fast.Simulation;

/// <summary>
/// Everything that defines one simulated run. Together with <see cref="Seed"/> it determines the run
/// completely; <see cref="ScenarioGenerator"/> derives the whole thing from a seed number.
/// </summary>
public sealed record SimulationOptions
{
    public required ulong Seed { get; init; }

    /// <summary>Validator weights; the validator count is their number.</summary>
    public required ulong[] Weights { get; init; }

    /// <summary>Validator index → strategy for the Byzantine validators (absent = honest).</summary>
    public IReadOnlyDictionary<int, ByzantineStrategy> Byzantine { get; init; } = new Dictionary<int, ByzantineStrategy>();

    /// <summary>Validator run as two instances with one key (Twins); -1 for none. Counted as Byzantine weight.</summary>
    public int TwinIndex { get; init; } = -1;

    public FaultMix Faults { get; init; }

    public int DropPerMille { get; init; } = 100;

    public int DuplicatePerMille { get; init; } = 50;

    public long MinDelay { get; init; } = 5;

    public long MaxDelay { get; init; } = 60;

    /// <summary>Extra delay range under <see cref="FaultMix.Delay"/>/<see cref="FaultMix.Reorder"/>.</summary>
    public long FaultDelay { get; init; } = 1500;

    /// <summary>Virtual milliseconds of the faulty phase; everything heals after it.</summary>
    public long FaultPhase { get; init; } = 12_000;

    public long BaseRoundTimeout { get; init; } = 400;

    public int MaxBackoffExponent { get; init; } = 4;

    /// <summary>After the heal every honest node must commit this many new blocks…</summary>
    public int RequiredCommitsAfterHeal { get; init; } = 3;

    /// <summary>…before any honest node gets this many rounds past the highest round at the heal.</summary>
    public int LivenessRoundBudget { get; init; } = 40;

    public SignatureScheme Scheme { get; init; }

    /// <summary>TEST ONLY: makes honest nodes break a safety rule, to show the checker catches it.</summary>
    public SafetyRuleBreak TestOnlyRuleBreak { get; init; }

    public long MaxEvents { get; init; } = 3_000_000;

    /// <summary>
    /// Called for every block an honest instance commits, in its commit order, with the instance
    /// number: lets a test drive replicated state machines from the simulated chain. Not part of the
    /// scenario (a run without it is the same run).
    /// </summary>
    public Action<int, BlockCommitted>? OnHonestCommit { get; init; }

    /// <summary>
    /// When set, supplies the bytes of each offered transaction (argument: its sequence number);
    /// null from it offers the default counter transaction. Must be deterministic for replay.
    /// </summary>
    public Func<long, byte[]?>? TransactionSource { get; init; }

    /// <summary>Command-line arguments of <c>cretoai-fast simulate</c> that rebuild exactly this scenario.</summary>
    public string ReplayArguments { get; init; } = "";

    public int Nodes => Weights.Length;

    public string Describe()
    {
        var byzantine = string.Join(",", Byzantine.OrderBy(b => b.Key).Select(b => $"{b.Key}:{b.Value}"));
        var twin = TwinIndex >= 0 ? $" twins={TwinIndex}" : "";
        return $"seed={Seed} nodes={Nodes} byzantine=[{byzantine}]{twin} faults={Faults} scheme={Scheme}";
    }
}
