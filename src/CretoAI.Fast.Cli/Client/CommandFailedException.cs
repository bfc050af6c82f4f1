namespace CretoAI.Fast.Cli.Client;

/// <summary>
/// A command could not do its job for a reason outside the command line (the node is unreachable,
/// refused the request, or the transaction failed): one line on stderr and exit code 1. Bad input
/// is an <see cref="Core.InvalidSettingException"/> instead (exit code 2).
/// </summary>
internal sealed class CommandFailedException : Exception
{
    public CommandFailedException(string message)
        : base(message)
    {
    }

    public CommandFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CommandFailedException()
        : base("the command failed")
    {
    }
}
