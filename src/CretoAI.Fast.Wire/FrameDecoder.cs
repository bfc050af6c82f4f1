using System.Buffers;
using System.Buffers.Binary;

namespace CretoAI.Fast.Wire;

/// <summary>
/// Parses frames from a <see cref="ReadOnlySequence{T}"/> as a PipeReader delivers it, including
/// frames split across segments, without copying payloads and without allocating. Header fields are
/// checked as soon as their bytes are present, so a bad magic or an oversized length is rejected
/// before the decoder waits for (or anyone buffers) the payload the peer claims.
/// </summary>
public readonly struct FrameDecoder
{
    private readonly int _maxPayloadLength;

    public FrameDecoder(int maxPayloadLength)
    {
        if (maxPayloadLength is < 0 or > WireLimits.AbsoluteMaxPayloadLength)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPayloadLength), maxPayloadLength,
                $"The payload limit must be between 0 and {WireLimits.AbsoluteMaxPayloadLength} bytes.");
        }

        _maxPayloadLength = maxPayloadLength;
    }

    public int MaxPayloadLength => _maxPayloadLength;

    /// <summary>
    /// Tries to decode one frame from the start of <paramref name="buffer"/>. On
    /// <see cref="DecodeStatus.Frame"/>, <paramref name="buffer"/> is advanced past the frame and
    /// <paramref name="frame"/>'s payload is a slice of the original buffer. On any other status
    /// <paramref name="buffer"/> is unchanged.
    /// </summary>
    public DecodeStatus TryDecode(ref ReadOnlySequence<byte> buffer, out Frame frame, out WireErrorCode error)
    {
        frame = default;
        error = WireErrorCode.None;

        Span<byte> scratch = stackalloc byte[FrameHeader.Size];
        scoped ReadOnlySpan<byte> header;
        var first = buffer.FirstSpan;
        if (first.Length >= FrameHeader.Size)
        {
            header = first[..FrameHeader.Size];
        }
        else
        {
            var available = (int)Math.Min(buffer.Length, FrameHeader.Size);
            buffer.Slice(0, available).CopyTo(scratch);
            header = scratch[..available];
        }

        // Reject as early as the bytes allow: garbage is refused after one or two bytes.
        if (header.Length >= 1 && header[0] != FrameHeader.MagicByte0)
        {
            return Fail(WireErrorCode.BadMagic, out error);
        }

        if (header.Length >= 2 && header[1] != FrameHeader.MagicByte1)
        {
            return Fail(WireErrorCode.BadMagic, out error);
        }

        if (header.Length >= 3 && header[2] != FrameHeader.CurrentVersion)
        {
            return Fail(WireErrorCode.UnsupportedVersion, out error);
        }

        if (header.Length >= 4 && (header[3] & ~(byte)FrameFlags.Response) != 0)
        {
            return Fail(WireErrorCode.ReservedFlags, out error);
        }

        if (header.Length >= 8 && BinaryPrimitives.ReadUInt16LittleEndian(header[6..]) != 0)
        {
            return Fail(WireErrorCode.ReservedHeaderBits, out error);
        }

        if (header.Length >= 16)
        {
            var declared = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
            if (declared > (uint)_maxPayloadLength)
            {
                return Fail(WireErrorCode.FrameTooLarge, out error);
            }
        }

        if (header.Length < FrameHeader.Size)
        {
            return DecodeStatus.NeedMoreData;
        }

        var payloadLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        var frameLength = (long)FrameHeader.Size + payloadLength;
        if (buffer.Length < frameLength)
        {
            return DecodeStatus.NeedMoreData;
        }

        var payload = buffer.Slice(FrameHeader.Size, payloadLength);
        var expected = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
        var state = Crc32C.Append(Crc32C.Begin(), header[..FrameHeader.ChecksummedPrefix]);
        state = Crc32C.Append(state, payload);
        if (Crc32C.End(state) != expected)
        {
            return Fail(WireErrorCode.ChecksumMismatch, out error);
        }

        var parsed = new FrameHeader(
            (FrameFlags)header[3],
            (MessageType)BinaryPrimitives.ReadUInt16LittleEndian(header[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(header[8..]),
            payloadLength);
        frame = new Frame(parsed, payload);
        buffer = buffer.Slice(payload.End);
        return DecodeStatus.Frame;
    }

    /// <summary>
    /// Called when the stream has ended: any bytes left over are the start of a frame that will
    /// never complete.
    /// </summary>
    public static WireErrorCode CheckEndOfStream(in ReadOnlySequence<byte> remaining) =>
        remaining.IsEmpty ? WireErrorCode.None : WireErrorCode.TruncatedFrame;

    private static DecodeStatus Fail(WireErrorCode code, out WireErrorCode error)
    {
        error = code;
        return DecodeStatus.Error;
    }
}
