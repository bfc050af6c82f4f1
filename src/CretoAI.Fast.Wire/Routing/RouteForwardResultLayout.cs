using System.Buffers.Binary;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Wire.Routing;

/// <summary>
/// Payload of <see cref="MessageType.RouteForwardResult"/> (0x0311), exactly 73 bytes: recipient id
/// (32) ‖ sender id (32) ‖ message id (u64) ‖ status (u8, as in RouteResult, plus 16 NotHere).
/// </summary>
public static class RouteForwardResultLayout
{
    public const int Length = 73;

    public static byte[] Write(Hash32 recipient, Hash32 sender, ulong messageId, byte status)
    {
        var bytes = new byte[Length];
        recipient.CopyTo(bytes);
        sender.CopyTo(bytes.AsSpan(32));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(64), messageId);
        bytes[72] = status;
        return bytes;
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out Hash32 recipient, out Hash32 sender, out ulong messageId, out byte status)
    {
        if (payload.Length != Length)
        {
            recipient = sender = default;
            messageId = 0;
            status = 0;
            return false;
        }

        recipient = new Hash32(payload[..32]);
        sender = new Hash32(payload.Slice(32, 32));
        messageId = BinaryPrimitives.ReadUInt64LittleEndian(payload[64..]);
        status = payload[72];
        return true;
    }
}
