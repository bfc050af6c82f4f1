using System.Collections.Concurrent;
using CretoAI.Fast.Core;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Routing.Router;

namespace CretoAI.Fast.Routing.Tests.Router;

/// <summary>An in-memory agent directory whose standings tests change at will.</summary>
internal sealed class FakeDirectory : IAgentDirectory
{
    private readonly ConcurrentDictionary<Hash32, AgentStanding> _agents = new();
    private long _version;

    public long Version => Interlocked.Read(ref _version);

    public void Set(Hash32 agent, AgentStatus status, uint reputationPpm = 500_000, params string[] tags)
    {
        _agents[agent] = new AgentStanding(status, reputationPpm, tags);
        Interlocked.Increment(ref _version);
    }

    public bool TryGetStanding(Hash32 agentId, out AgentStanding standing) => _agents.TryGetValue(agentId, out standing);
}
