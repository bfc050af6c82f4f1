using CretoAI.Fast.Routing.Router;

namespace CretoAI.Fast.Net.Client;

/// <summary>The node refused the agent's login; <see cref="Status"/> says why.</summary>
public sealed class AgentLoginException : Exception
{
    public AgentLoginException(AgentLoginStatus status, string detail)
        : base($"Login refused: {status} ({detail}).") => Status = status;

    public AgentLoginException()
    {
    }

    public AgentLoginException(string message)
        : base(message)
    {
    }

    public AgentLoginException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AgentLoginStatus Status { get; }
}
