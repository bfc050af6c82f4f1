using CretoAI.Fast.Core;
using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Net.Client;

/// <summary>Settings of an <see cref="AgentClient"/>.</summary>
public sealed class AgentClientOptions
{
    /// <summary>The chain to join; all zero accepts the node's (learned from its signed Welcome).</summary>
    public Hash32 ChainId { get; set; }

    /// <summary>If set, the node must prove this identity.</summary>
    public Hash32? ExpectedNodeId { get; set; }

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public int MaxPayloadLength { get; set; } = WireLimits.DefaultMaxPayloadLength;

    /// <summary>Acknowledge each message when it enters <see cref="AgentClient.Messages"/> (default). Off: the application calls <see cref="AgentClient.AcknowledgeAsync"/> itself.</summary>
    public bool AutoAcknowledge { get; set; } = true;

    /// <summary>Messages received and not yet read by the application; when full the client stops reading, which pushes back on the node. Default 1,024.</summary>
    public int InboxCapacity { get; set; } = 1024;

    /// <summary>
    /// The agent's window of received message keys, to drop redeliveries of messages already handed
    /// over; share one across reconnects of the same agent. Default: a new window of 16,384 keys and
    /// 10 minutes for this client alone.
    /// </summary>
    public ReceivedMessageWindow? Received { get; set; }
}
