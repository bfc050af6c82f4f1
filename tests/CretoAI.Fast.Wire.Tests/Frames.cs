using System.Buffers;

namespace CretoAI.Fast.Wire.Tests;

/// <summary>Encoding and decoding helpers for tests.</summary>
internal static class Frames
{
    public static byte[] Encode(MessageType type, uint correlationId, ReadOnlySpan<byte> payload, FrameFlags flags = FrameFlags.None)
    {
        var writer = new ArrayBufferWriter<byte>();
        FrameEncoder.Write(writer, type, flags, correlationId, payload);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes every frame in <paramref name="buffer"/>; returns them with the final status.</summary>
    public static (List<(FrameHeader Header, byte[] Payload)> Frames, DecodeStatus Status, WireErrorCode Error, long Remaining) DecodeAll(
        ReadOnlySequence<byte> buffer, int maxPayload = WireLimits.DefaultMaxPayloadLength)
    {
        var decoder = new FrameDecoder(maxPayload);
        var frames = new List<(FrameHeader, byte[])>();
        while (true)
        {
            var status = decoder.TryDecode(ref buffer, out var frame, out var error);
            if (status != DecodeStatus.Frame)
            {
                return (frames, status, error, buffer.Length);
            }

            frames.Add((frame.Header, frame.Payload.ToArray()));
        }
    }

    /// <summary>Recomputes and stores the checksum after a test has edited header fields on purpose.</summary>
    public static void Reseal(byte[] frame)
    {
        var crc = Crc32C.Compute([.. frame.AsSpan(0, FrameHeader.ChecksummedPrefix), .. frame.AsSpan(FrameHeader.Size)]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(FrameHeader.ChecksummedPrefix), crc);
    }
}
