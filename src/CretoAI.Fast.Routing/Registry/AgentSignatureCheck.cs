namespace CretoAI.Fast.Routing.Registry;

/// <summary>What <see cref="AgentRegistry.VerifySignature"/> found.</summary>
public enum AgentSignatureCheck : byte
{
    /// <summary>The agent is registered and active, and the signature verifies under its key.</summary>
    Valid = 0,

    /// <summary>No agent has this id.</summary>
    UnknownAgent = 1,

    /// <summary>The agent is suspended: its signatures are not accepted until it is reinstated.</summary>
    Suspended = 2,

    /// <summary>The agent is revoked, for good.</summary>
    Revoked = 3,

    /// <summary>The signature does not verify under the agent's key (or has the wrong length).</summary>
    BadSignature = 4,
}
