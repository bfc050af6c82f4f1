using System.Buffers.Binary;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Wire.Routing;

/// <summary>
/// Payload of <see cref="MessageType.RouteAck"/> (0x0307): u16 count N (1..256), then N entries of
/// sender id (32 bytes) ‖ message id (u64). Not answered; a malformed one gets an Error frame.
/// </summary>
public static class RouteAckLayout
{
    public const int MaxEntries = 256;

    public const int EntryLength = Hash32.Size + 8;

    public static int Length(int entries) => 2 + (entries * EntryLength);

    public static void WriteCount(Span<byte> destination, int count) => BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)count);

    public static void WriteEntry(Span<byte> destination, int index, Hash32 sender, ulong messageId)
    {
        var at = destination[(2 + (index * EntryLength))..];
        sender.CopyTo(at);
        BinaryPrimitives.WriteUInt64LittleEndian(at[Hash32.Size..], messageId);
    }

    /// <summary>The entry count after checking it against the limit and the bytes present.</summary>
    public static bool TryReadCount(ReadOnlySpan<byte> payload, out int count, out WireErrorCode error)
    {
        count = 0;
        if (payload.Length < 2)
        {
            error = WireErrorCode.PayloadTooShort;
            return false;
        }

        var n = BinaryPrimitives.ReadUInt16LittleEndian(payload);
        if (n is 0 or > MaxEntries)
        {
            error = n == 0 ? WireErrorCode.MalformedPayload : WireErrorCode.FieldTooLarge;
            return false;
        }

        if (payload.Length != Length(n))
        {
            error = payload.Length < Length(n) ? WireErrorCode.PayloadTooShort : WireErrorCode.TrailingBytes;
            return false;
        }

        count = n;
        error = WireErrorCode.None;
        return true;
    }

    public static (Hash32 Sender, ulong MessageId) ReadEntry(ReadOnlySpan<byte> payload, int index)
    {
        var at = payload[(2 + (index * EntryLength))..];
        return (new Hash32(at[..Hash32.Size]), BinaryPrimitives.ReadUInt64LittleEndian(at[Hash32.Size..]));
    }
}
