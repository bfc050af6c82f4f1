namespace CretoAI.Fast.Routing.Registry;

/// <summary>What a validators' policy vote (<c>AgentPolicy</c> transaction) asks for. On the wire: never renumber.</summary>
public enum AgentPolicyAction : byte
{
    /// <summary>Never valid.</summary>
    None = 0,

    /// <summary>Active → Suspended (<see cref="AgentRegistry.Suspend"/>).</summary>
    Suspend = 1,

    /// <summary>Suspended → Active (<see cref="AgentRegistry.Reinstate"/>).</summary>
    Reinstate = 2,

    /// <summary>Active or Suspended → Revoked, for good (<see cref="AgentRegistry.RevokeByPolicy"/>).</summary>
    Revoke = 3,
}
