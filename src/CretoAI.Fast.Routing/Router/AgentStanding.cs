using CretoAI.Fast.Routing.Registry;

namespace CretoAI.Fast.Routing.Router;

/// <summary>What the router needs of an agent's committed record: its status, its reputation and its capability tags.</summary>
/// <param name="Status">Active, suspended or revoked.</param>
/// <param name="ReputationPpm">Reputation score in parts per million (0..1,000,000); sets the send budget.</param>
/// <param name="Tags">Capability tags (at most 16 of 1..32 bytes of [a-z0-9._-]).</param>
public readonly record struct AgentStanding(AgentStatus Status, uint ReputationPpm, IReadOnlyList<string> Tags);
