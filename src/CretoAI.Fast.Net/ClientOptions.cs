using CretoAI.Fast.Core;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Handshake;

namespace CretoAI.Fast.Net;

/// <summary>Settings of an outgoing connection.</summary>
public sealed class ClientOptions
{
    /// <summary>
    /// The chain the client expects the server to serve. All zero (the default) lets a
    /// <see cref="PeerRole.Client"/> learn the server's chain from its signed Welcome
    /// (<see cref="FrameClient.ChainId"/>); a validator must always name its chain.
    /// </summary>
    public Hash32 ChainId { get; set; }

    /// <summary>What the client presents itself as; bound into the signed transcript.</summary>
    public PeerRole Role { get; set; } = PeerRole.Client;

    /// <summary>If set, the server's identity must be this node id (SHA3-256 of its public key).</summary>
    public Hash32? ExpectedServerId { get; set; }

    /// <summary>Largest payload accepted from the server. Default 1 MiB.</summary>
    public int MaxPayloadLength { get; set; } = WireLimits.DefaultMaxPayloadLength;

    /// <summary>Time for connecting plus the handshake. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>See <see cref="TransportOptions.InlineScheduling"/>.</summary>
    public bool InlineScheduling { get; set; } = true;
}
