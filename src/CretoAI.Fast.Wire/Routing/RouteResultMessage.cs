using System.Buffers;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Wire.Routing;

/// <summary>
/// Payload of <see cref="MessageType.RouteResult"/> (0x0306), the one answer to a send:
/// <code>
///  0  u8   status (docs/protocol.md §12.5; unknown values are refusals)
///  1  u64  message id of the send
///  9  u16  detail length L, at most 256
/// 11  L    detail, UTF-8, for humans
/// </code>
/// </summary>
public readonly record struct RouteResultMessage(byte Status, ulong MessageId, string Detail)
{
    public const int MaxDetailBytes = 256;

    public const int MaxLength = 11 + MaxDetailBytes;

    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        FixedPayloadWriter.WriteByte(writer, Status);
        FixedPayloadWriter.WriteUInt64(writer, MessageId);
        FixedPayloadWriter.WriteUtf8(writer, Detail, MaxDetailBytes);
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out RouteResultMessage value)
    {
        value = default;
        var reader = new FixedPayloadReader(payload);
        if (reader.TryReadByte(out var status) && reader.TryReadUInt64(out var id) && reader.TryReadUtf8(MaxDetailBytes, out var detail) && reader.TryEnd())
        {
            value = new RouteResultMessage(status, id, detail);
            return true;
        }

        return false;
    }
}
