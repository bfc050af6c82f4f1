using System.Buffers;
using CretoAI.Fast.Core;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Wire.Routing;

/// <summary>Payload of <see cref="MessageType.AgentChallenge"/> (0x0301): nonce (32 bytes) ‖ node id (32 bytes).</summary>
public readonly record struct AgentChallengeMessage(Hash32 Nonce, Hash32 NodeId)
{
    public const int Length = 2 * Hash32.Size;

    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        FixedPayloadWriter.WriteHash(writer, Nonce);
        FixedPayloadWriter.WriteHash(writer, NodeId);
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out AgentChallengeMessage value)
    {
        value = default;
        if (payload.Length != Length)
        {
            return false;
        }

        value = new AgentChallengeMessage(new Hash32(payload[..32]), new Hash32(payload[32..]));
        return true;
    }
}
