using System.Buffers;

namespace CretoAI.Fast.Wire.Client;

/// <summary>
/// Payload of <see cref="MessageType.GetBlock"/> (0x0204): exactly 8 bytes, the height (u64,
/// little-endian) of the committed block asked for. Answered by <see cref="MessageType.BlockInfo"/>
/// (<see cref="CommittedBlockMessage"/>) or an Error with <see cref="WireErrorCode.NotFound"/>.
/// </summary>
public readonly record struct GetBlockMessage(ulong Height)
{
    public const int Length = 8;

    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        FixedPayloadWriter.WriteUInt64(writer, Height);
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out GetBlockMessage value) => TryRead(payload, out value, out _);

    public static bool TryRead(ReadOnlySpan<byte> payload, out GetBlockMessage value, out WireErrorCode error)
    {
        value = default;
        var reader = new FixedPayloadReader(payload);
        var ok = reader.TryReadUInt64(out var height) && reader.TryEnd();
        error = reader.Error;
        if (ok)
        {
            value = new GetBlockMessage(height);
        }

        return ok;
    }

    /// <summary>As <see cref="TryRead(ReadOnlySpan{byte}, out GetBlockMessage, out WireErrorCode)"/>, for a payload straight from a frame.</summary>
    public static bool TryRead(in ReadOnlySequence<byte> payload, out GetBlockMessage value, out WireErrorCode error)
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
