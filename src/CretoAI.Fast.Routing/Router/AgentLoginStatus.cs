namespace CretoAI.Fast.Routing.Router;

/// <summary>The answer to an agent login (AgentLoginResult status byte). Never renumber: on the wire.</summary>
public enum AgentLoginStatus : byte
{
    Ok = 0,

    /// <summary>No challenge was issued on this connection, or it expired, or it was used already.</summary>
    NoChallenge = 1,

    BadSignature = 2,

    NotRegistered = 3,

    Suspended = 4,

    Revoked = 5,

    BadPublicKey = 6,

    TooManyAgents = 7,

    AlreadyLoggedIn = 8,
}
