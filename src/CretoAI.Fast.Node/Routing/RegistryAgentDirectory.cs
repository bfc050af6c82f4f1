using System.Collections.Concurrent;
using CretoAI.Fast.Core;
using CretoAI.Fast.Reputation.Scores;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Routing.Router;

namespace CretoAI.Fast.Node.Routing;

/// <summary>
/// The router's view of the committed agent registry and reputation. Standings are cached per
/// agent and read again once the applied height (<see cref="Version"/>) has moved, so a suspension
/// or revocation takes effect at the next send after the block that carries it is applied. The
/// cache is bounded (cleared when it reaches <see cref="MaxCached"/> entries).
/// </summary>
internal sealed class RegistryAgentDirectory(AgentRegistry registry, ReputationTracker reputation, Func<long> appliedHeight) : IAgentDirectory
{
    public const int MaxCached = 200_000;

    private readonly ConcurrentDictionary<Hash32, (long Version, AgentStanding Standing, bool Found)> _cache = new();

    public long Version => appliedHeight();

    public bool TryGetStanding(Hash32 agentId, out AgentStanding standing)
    {
        var version = Version;
        if (_cache.TryGetValue(agentId, out var cached) && cached.Version == version)
        {
            standing = cached.Standing;
            return cached.Found;
        }

        var found = registry.TryGet(agentId, out var record);
        standing = found
            ? new AgentStanding(record!.Status, reputation.ScoreAt(agentId, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), record.Tags)
            : default;
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        _cache[agentId] = (version, standing, found);
        return found;
    }
}
