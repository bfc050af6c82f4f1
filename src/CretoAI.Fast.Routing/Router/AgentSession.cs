using CretoAI.Fast.Core;

namespace CretoAI.Fast.Routing.Router;

/// <summary>
/// One logged-in agent on this node: its id and key, its cached standing, its rate budget and the
/// transport's handle for its connection (<see cref="Connection"/>, opaque to the router). The
/// standing and the bucket are touched only by the connection's read loop; the rest under the
/// router's lock.
/// </summary>
public sealed class AgentSession
{
    public AgentSession(Hash32 agentId, ReadOnlyMemory<byte> publicKey, object connection)
    {
        AgentId = agentId;
        PublicKey = publicKey;
        Connection = connection;
    }

    public Hash32 AgentId { get; }

    public ReadOnlyMemory<byte> PublicKey { get; }

    public object Connection { get; }

    /// <summary>True from a successful login until logout or replacement.</summary>
    public bool IsLoggedIn { get; internal set; }

    internal AgentStanding Standing { get; set; }

    internal long StandingVersion { get; set; } = long.MinValue;

    internal TokenBucket Bucket;

    internal Hash32[] Tags { get; set; } = [];

    internal bool PumpScheduled { get; set; }
}
