using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Net.Client;

/// <summary>Settings of a <see cref="NodeClient"/> connection, with their defaults.</summary>
public sealed class NodeClientOptions
{
    /// <summary>
    /// The chain the node must serve. All zero (the default): learn it from the node's signed
    /// Welcome (docs/protocol.md §6.2); <see cref="NodeClient.ChainId"/> then says which it is.
    /// </summary>
    public Hash32 ChainId { get; set; }

    /// <summary>If set, the node's identity must be this node id (SHA3-256 of its public key).</summary>
    public Hash32? ExpectedServerId { get; set; }

    /// <summary>Time for connecting plus the handshake. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest payload accepted from the node (a block summary can be large). Default 8 MiB, at most 16 MiB.</summary>
    public int MaxPayloadLength { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Commit notices buffered per subscription for a consumer that has not taken them yet. When a
    /// consumer falls this far behind, its subscription ends with <see cref="SubscriptionOverflowException"/>
    /// (after the buffered notices) instead of buffering without bound. Default 1,024.
    /// </summary>
    public int SubscriptionBuffer { get; set; } = 1024;

    /// <summary>Checks the node's handshake signature. Default: the repository's ML-DSA-87 verifier.</summary>
    public ISignatureVerifier? Verifier { get; set; }

    internal void Validate()
    {
        if (MaxPayloadLength < WireLimits.MaxHandshakePayloadLength || MaxPayloadLength > WireLimits.AbsoluteMaxPayloadLength)
        {
            throw new InvalidSettingException(nameof(MaxPayloadLength), $"must be between {WireLimits.MaxHandshakePayloadLength} and {WireLimits.AbsoluteMaxPayloadLength} bytes (got {MaxPayloadLength}).");
        }

        if (SubscriptionBuffer < 1)
        {
            throw new InvalidSettingException(nameof(SubscriptionBuffer), $"must be at least 1 (got {SubscriptionBuffer}).");
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new InvalidSettingException(nameof(ConnectTimeout), $"must be positive (got {ConnectTimeout}).");
        }
    }
}
