using System.Buffers;

namespace CretoAI.Fast.Wire.Client;

/// <summary>
/// Payload of <see cref="MessageType.Subscribe"/> (0x0206): exactly 8 bytes, the first height
/// (u64, little-endian) the subscriber wants. 0 means "from the next block committed"; a height at
/// or below the node's current height replays committed blocks from there before live ones. The
/// node answers with a stream of <see cref="MessageType.CommitNotice"/> frames
/// (<see cref="CommittedBlockMessage"/>), in height order without gaps, each carrying this
/// request's correlation id.
/// </summary>
public readonly record struct SubscribeMessage(ulong FromHeight)
{
    public const int Length = 8;

    /// <summary><see cref="FromHeight"/> value meaning "only blocks committed from now on".</summary>
    public const ulong Live = 0;

    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        FixedPayloadWriter.WriteUInt64(writer, FromHeight);
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out SubscribeMessage value) => TryRead(payload, out value, out _);

    public static bool TryRead(ReadOnlySpan<byte> payload, out SubscribeMessage value, out WireErrorCode error)
    {
        value = default;
        var reader = new FixedPayloadReader(payload);
        var ok = reader.TryReadUInt64(out var from) && reader.TryEnd();
        error = reader.Error;
        if (ok)
        {
            value = new SubscribeMessage(from);
        }

        return ok;
    }

    /// <summary>As <see cref="TryRead(ReadOnlySpan{byte}, out SubscribeMessage, out WireErrorCode)"/>, for a payload straight from a frame.</summary>
    public static bool TryRead(in ReadOnlySequence<byte> payload, out SubscribeMessage value, out WireErrorCode error)
    {
        if (payload.Length > Length)
        {
            value = default;
            error = WireErrorCode.TrailingBytes;
            return false;
        }

        Span<byte> bytes = stackalloc byte[Length];
        payload.CopyTo(bytes);
        return TryRead(bytes[..(int)payload.Length], out value, out error);
    }
}
