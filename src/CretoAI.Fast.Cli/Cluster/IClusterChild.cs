namespace CretoAI.Fast.Cli.Cluster;

/// <summary>One node process started by <c>cluster up</c>.</summary>
internal interface IClusterChild : IDisposable
{
    int Id { get; }

    bool HasExited { get; }

    /// <summary>The exit code once exited; null while running.</summary>
    int? ExitCode { get; }

    /// <summary>Asks the process to stop gracefully (SIGTERM).</summary>
    void Terminate();

    /// <summary>Ends the process at once (SIGKILL).</summary>
    void Kill();

    Task WaitForExitAsync(CancellationToken cancellationToken);
}
