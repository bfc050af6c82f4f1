namespace CretoAI.Fast.Core;

/// <summary>
/// A configuration setting has a value the daemon cannot run with. Thrown at start-up by option
/// validation; the message names the setting, the value and the allowed range, for the operator.
/// </summary>
public sealed class InvalidSettingException : Exception
{
    public InvalidSettingException(string setting, string message)
        : base($"Setting '{setting}': {message}")
    {
        Setting = setting;
    }

    /// <summary>A setting that is wrong because of an underlying failure (a socket error, say).</summary>
    public InvalidSettingException(string setting, string message, Exception innerException)
        : base($"Setting '{setting}': {message}", innerException)
    {
        Setting = setting;
    }

    public InvalidSettingException()
        : this("?", "invalid value")
    {
    }

    public InvalidSettingException(string message)
        : this("?", message)
    {
    }

    public InvalidSettingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Setting = "?";
    }

    public string Setting { get; } = "?";
}
