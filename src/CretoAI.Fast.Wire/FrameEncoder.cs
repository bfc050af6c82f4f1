using System.Buffers;
using System.Buffers.Binary;

namespace CretoAI.Fast.Wire;

/// <summary>
/// Writes frames into an <see cref="IBufferWriter{T}"/> (a PipeWriter on the hot path) without
/// allocating: the header goes straight into the writer's memory and the payload is copied once.
/// </summary>
public static class FrameEncoder
{
    /// <summary>Writes a frame whose payload is in one span.</summary>
    public static void Write(IBufferWriter<byte> output, MessageType type, FrameFlags flags, uint correlationId, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(output);
        var header = output.GetSpan(FrameHeader.Size);
        new FrameHeader(flags, type, correlationId, payload.Length).WritePrefix(header);
        var state = Crc32C.Append(Crc32C.Begin(), header[..FrameHeader.ChecksummedPrefix]);
        state = Crc32C.Append(state, payload);
        BinaryPrimitives.WriteUInt32LittleEndian(header[FrameHeader.ChecksummedPrefix..], Crc32C.End(state));
        output.Advance(FrameHeader.Size);
        if (!payload.IsEmpty)
        {
            output.Write(payload);
        }
    }

    /// <summary>
    /// Writes a frame whose payload is a (possibly multi-segment) sequence, e.g. a slice of the
    /// input pipe echoed back in a reply, without gathering it first.
    /// </summary>
    public static void Write(IBufferWriter<byte> output, MessageType type, FrameFlags flags, uint correlationId, in ReadOnlySequence<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (payload.IsSingleSegment)
        {
            Write(output, type, flags, correlationId, payload.FirstSpan);
            return;
        }

        if (payload.Length > WireLimits.AbsoluteMaxPayloadLength)
        {
            throw new ArgumentOutOfRangeException(nameof(payload), "Payload exceeds the protocol's absolute limit.");
        }

        var header = output.GetSpan(FrameHeader.Size);
        new FrameHeader(flags, type, correlationId, (int)payload.Length).WritePrefix(header);
        var state = Crc32C.Append(Crc32C.Begin(), header[..FrameHeader.ChecksummedPrefix]);
        state = Crc32C.Append(state, payload);
        BinaryPrimitives.WriteUInt32LittleEndian(header[FrameHeader.ChecksummedPrefix..], Crc32C.End(state));
        output.Advance(FrameHeader.Size);
        foreach (var segment in payload)
        {
            output.Write(segment.Span);
        }
    }

    /// <summary>Writes an <see cref="MessageType.Error"/> frame.</summary>
    public static void WriteError(IBufferWriter<byte> output, uint correlationId, WireErrorCode code, ReadOnlySpan<char> message)
    {
        Span<byte> payload = stackalloc byte[ErrorPayload.MaxLength];
        var length = ErrorPayload.Write(payload, code, message);
        Write(output, MessageType.Error, FrameFlags.Response, correlationId, payload[..length]);
    }

    /// <summary>Total bytes a frame with <paramref name="payloadLength"/> bytes of payload occupies.</summary>
    public static int FrameLength(int payloadLength) => FrameHeader.Size + payloadLength;
}
