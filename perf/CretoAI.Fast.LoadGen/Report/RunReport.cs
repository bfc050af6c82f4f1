using CretoAI.Fast.LoadGen.Engine;
using CretoAI.Fast.LoadGen.Sla;

namespace CretoAI.Fast.LoadGen.Report;

/// <summary>The JSON result of a run (result.json): what was asked, what was measured, the verdicts.</summary>
public sealed record RunReport(
    string Tool,
    string StartedUtc,
    string Machine,
    string CommandLine,
    string Mode,
    string Target,
    string Loop,
    double DurationSeconds,
    double WarmupSeconds,
    IReadOnlyList<StepResult> Steps,
    SlaSpec? Sla,
    IReadOnlyList<SlaVerdict> Verdicts,
    bool? SlaMet,
    int ExitCode);
