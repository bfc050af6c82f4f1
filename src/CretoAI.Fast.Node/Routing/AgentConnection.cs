using CretoAI.Fast.Core;
using CretoAI.Fast.Net;
using CretoAI.Fast.Routing.Router;

namespace CretoAI.Fast.Node.Routing;

/// <summary>The router's state of one client connection: its open login challenge, its logged-in agent and the login's delivery stream.</summary>
internal sealed class AgentConnection(RequestContext context)
{
    private readonly Lock _lock = new();
    private bool _ready;
    private bool _wakePending;

    public RequestContext Context { get; } = context;

    public Hash32? Challenge { get; set; }

    public long ChallengeAtMs { get; set; }

    /// <summary>A login is being verified or has succeeded: a second one is refused.</summary>
    public bool LoginStarted { get; set; }

    public AgentSession? Session { get; set; }

    public ReplyStream? Stream { get; set; }

    /// <summary>Marks the delivery stream ready (its LoginResult is out); true when a wake-up arrived before and the pump must start now.</summary>
    public bool MarkReady()
    {
        lock (_lock)
        {
            _ready = true;
            var pending = _wakePending;
            _wakePending = false;
            return pending;
        }
    }

    /// <summary>True when the pump may start now; otherwise the wake-up is remembered for <see cref="MarkReady"/>.</summary>
    public bool TryWake()
    {
        lock (_lock)
        {
            if (_ready)
            {
                return true;
            }

            _wakePending = true;
            return false;
        }
    }
}
