using System.Buffers;
using CretoAI.Fast.Core;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Wire.Routing;

/// <summary>
/// Payload of <see cref="MessageType.AgentLoginResult"/> (0x0303):
/// <code>
///  0  u8    status (0 ok; docs/protocol.md §12.3)
///  1  32 B  agent id (SHA3-256 of the key that logged in; zero when the key was unusable)
/// 33  u16   detail length L, at most 256
/// 35  L     detail, UTF-8
/// </code>
/// </summary>
public readonly record struct AgentLoginResultMessage(byte Status, Hash32 AgentId, string Detail)
{
    public const int MaxDetailBytes = 256;

    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        FixedPayloadWriter.WriteByte(writer, Status);
        FixedPayloadWriter.WriteHash(writer, AgentId);
        FixedPayloadWriter.WriteUtf8(writer, Detail, MaxDetailBytes);
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out AgentLoginResultMessage value)
    {
        value = default;
        var reader = new FixedPayloadReader(payload);
        if (reader.TryReadByte(out var status) && reader.TryReadHash(out var id) && reader.TryReadUtf8(MaxDetailBytes, out var detail) && reader.TryEnd())
        {
            value = new AgentLoginResultMessage(status, id, detail);
            return true;
        }

        return false;
    }
}
