using CretoAI.Fast.Core;

namespace CretoAI.Fast.Routing.Router;

/// <summary>
/// Where remote agents are logged in, as gossiped by the other nodes: agent id → node index, each
/// entry forgotten <see cref="RouterSettings.PresenceTtlMs"/> after its last announcement, at most
/// <see cref="RouterSettings.PresenceMaxEntries"/> entries (a full table refuses new agents until
/// entries expire; routing then falls back to holding the message in a mailbox here). Not
/// thread-safe: the router calls it under its lock.
/// </summary>
public sealed class PresenceTable(int maxEntries, long ttlMs)
{
    private readonly Dictionary<Hash32, (int Node, long ExpiresAt)> _entries = [];

    public int Count => _entries.Count;

    /// <summary>Announcements refused because the table was full.</summary>
    public long Refused { get; private set; }

    /// <summary>Records that <paramref name="agent"/> is on <paramref name="node"/> until now + TTL; false when the table is full.</summary>
    public bool Announce(Hash32 agent, int node, long nowMs)
    {
        if (_entries.Count >= maxEntries && !_entries.ContainsKey(agent))
        {
            Sweep(nowMs);
            if (_entries.Count >= maxEntries)
            {
                Refused++;
                return false;
            }
        }

        _entries[agent] = (node, nowMs + ttlMs);
        return true;
    }

    /// <summary>Forgets <paramref name="agent"/> if it was last seen on <paramref name="node"/> (a later login elsewhere wins).</summary>
    public bool Withdraw(Hash32 agent, int node)
    {
        if (_entries.TryGetValue(agent, out var entry) && entry.Node == node)
        {
            _entries.Remove(agent);
            return true;
        }

        return false;
    }

    /// <summary>The node <paramref name="agent"/> was last announced on, if that has not expired.</summary>
    public bool TryLocate(Hash32 agent, long nowMs, out int node)
    {
        if (_entries.TryGetValue(agent, out var entry))
        {
            if (entry.ExpiresAt > nowMs)
            {
                node = entry.Node;
                return true;
            }

            _entries.Remove(agent);
        }

        node = -1;
        return false;
    }

    /// <summary>Removes every expired entry; returns how many.</summary>
    public int Sweep(long nowMs)
    {
        var removed = 0;
        foreach (var (agent, entry) in _entries)
        {
            if (entry.ExpiresAt <= nowMs)
            {
                _entries.Remove(agent);
                removed++;
            }
        }

        return removed;
    }
}
