namespace CretoAI.Fast.LoadGen;

/// <summary>
/// Bad input to the harness: an unreachable target, a target speaking another protocol, a malformed
/// SLA file or option. Caught at the command boundary, printed as one line, exit code 2.
/// </summary>
public sealed class LoadGenException : Exception
{
    public LoadGenException(string message)
        : base(message)
    {
    }

    public LoadGenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LoadGenException()
    {
    }
}
