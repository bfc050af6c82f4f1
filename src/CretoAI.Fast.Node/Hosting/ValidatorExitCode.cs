namespace CretoAI.Fast.Node.Hosting;

/// <summary>Process exit codes of <c>cretoai-fast run</c> (see <see cref="ValidatorHost"/>).</summary>
public static class ValidatorExitCode
{
    /// <summary>Stopped on request (SIGTERM, Ctrl-C, cancellation) and finished draining within the shutdown timeout.</summary>
    public const int Clean = 0;

    /// <summary>
    /// Start-up failed (a port in use, a storage error), the node reported a fatal error while
    /// running, or stopping took longer than the shutdown timeout.
    /// </summary>
    public const int Failure = 1;

    /// <summary>
    /// The configuration is wrong (a setting, the key file, the genesis file: <c>InvalidSettingException</c>,
    /// <c>GenesisException</c>): fix it and start again.
    /// </summary>
    public const int BadConfiguration = 2;
}
