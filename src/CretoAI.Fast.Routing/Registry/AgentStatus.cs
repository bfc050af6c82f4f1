namespace CretoAI.Fast.Routing.Registry;

/// <summary>Where an agent stands. Stored in its record: never renumber.</summary>
public enum AgentStatus : byte
{
    /// <summary>Never stored; a record with status 0 is damage.</summary>
    None = 0,

    /// <summary>Registered and in good standing: may update its profile.</summary>
    Active = 1,

    /// <summary>Put on hold by a committed decision (<see cref="AgentRegistry.Suspend"/>); may revoke itself, not update.</summary>
    Suspended = 2,

    /// <summary>Revoked by the agent itself or by policy (<see cref="AgentRegistry.RevokeByPolicy"/>). Terminal: the id can never be registered again.</summary>
    Revoked = 3,
}
