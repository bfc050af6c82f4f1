using CretoAI.Fast.Core;

namespace CretoAI.Fast.Routing.Router;

/// <summary>
/// The router's read-only view of the agent registry and reputation, as of the last applied block.
/// Implemented over <see cref="Registry.AgentRegistry"/> by the node; tests use an in-memory one.
/// Called from many threads; must be thread-safe.
/// </summary>
public interface IAgentDirectory
{
    /// <summary>Changes whenever a standing may have changed (the node uses its applied height); callers re-read cached standings when it moves.</summary>
    long Version { get; }

    /// <summary>False when the id was never registered.</summary>
    bool TryGetStanding(Hash32 agentId, out AgentStanding standing);
}
