namespace CretoAI.Fast.Node.Settings;

/// <summary>
/// A setting, or a file a setting names (key, genesis), is wrong: the operator must change the
/// configuration before the node can start. The message is shown as one log line, so it names the
/// setting and says what is wrong with it. The host exits with <c>ValidatorExitCode.BadConfiguration</c> (2).
/// </summary>
public sealed class NodeConfigurationException : Exception
{
    public NodeConfigurationException()
    {
    }

    public NodeConfigurationException(string message)
        : base(message)
    {
    }

    public NodeConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
