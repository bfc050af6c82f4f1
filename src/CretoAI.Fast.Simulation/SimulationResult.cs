namespace CretoAI.Fast.Simulation;

/// <summary>Outcome of one run: pass/fail with the first violated invariant, and what happened.</summary>
public sealed class SimulationResult
{
    public required SimulationOptions Options { get; init; }

    public required string? Violation { get; init; }

    public bool Passed => Violation is null;

    public required long Events { get; init; }

    public required long MessagesDelivered { get; init; }

    /// <summary>Lowest committed height over honest nodes at the end.</summary>
    public required ulong MinHonestHeight { get; init; }

    public required ulong MaxRound { get; init; }

    /// <summary>Rounds after the heal until every honest node had committed the required new blocks.</summary>
    public required ulong RoundsToRecover { get; init; }

    /// <summary>Average over honest commits of (node's round when it committed − block's round).</summary>
    public required double CommitLatencyRounds { get; init; }

    public required long EvidenceFound { get; init; }

    public required long VirtualTime { get; init; }

    public string ReplayCommand => "cretoai-fast simulate " + (Options.ReplayArguments.Length > 0 ? Options.ReplayArguments : $"--seed {Options.Seed}") + RuleBreakFlag;

    private string RuleBreakFlag => Options.TestOnlyRuleBreak != CretoAI.Fast.Consensus.Engine.SafetyRuleBreak.None ? " (test-only rule break: " + Options.TestOnlyRuleBreak + ")" : "";

    public override string ToString() => Passed
        ? $"PASS {Options.Describe()} height={MinHonestHeight} rounds={MaxRound} recover={RoundsToRecover} evidence={EvidenceFound}"
        : $"FAIL {Options.Describe()}: {Violation}\n  replay: {ReplayCommand}";
}
