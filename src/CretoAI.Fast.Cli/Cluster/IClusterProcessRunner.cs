namespace CretoAI.Fast.Cli.Cluster;

/// <summary>
/// How <c>cluster up</c> runs <c>cretoai-fast</c> itself as child processes: <c>testnet init</c> to
/// completion, and one <c>node run</c> per validator in the background. Behind an interface so the
/// orchestration is tested with in-process fakes; <see cref="ChildProcessRunner"/> is the real one.
/// </summary>
internal interface IClusterProcessRunner
{
    /// <summary>Runs <c>cretoai-fast ARGUMENTS</c> to completion; returns its exit code and its output (stdout and stderr).</summary>
    Task<(int ExitCode, string Output)> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken);

    /// <summary>Starts <c>cretoai-fast ARGUMENTS</c> in the background with stdout and stderr appended to <paramref name="logPath"/>.</summary>
    IClusterChild Start(IReadOnlyList<string> arguments, string logPath);
}
