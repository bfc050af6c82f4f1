using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Wire.Client;

/// <summary>Writes the fields of fixed-layout client payloads (little-endian) into an <see cref="IBufferWriter{T}"/>.</summary>
internal static class FixedPayloadWriter
{
    public static void WriteByte(IBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    public static void WriteUInt16(IBufferWriter<byte> writer, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(writer.GetSpan(2), value);
        writer.Advance(2);
    }

    public static void WriteUInt32(IBufferWriter<byte> writer, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    public static void WriteInt32(IBufferWriter<byte> writer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    public static void WriteUInt64(IBufferWriter<byte> writer, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }

    public static void WriteInt64(IBufferWriter<byte> writer, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }

    public static void WriteHash(IBufferWriter<byte> writer, Hash32 value)
    {
        value.CopyTo(writer.GetSpan(Hash32.Size));
        writer.Advance(Hash32.Size);
    }

    /// <summary>
    /// Writes a u16 length and the UTF-8 of <paramref name="text"/>, truncated on a character
    /// boundary to at most <paramref name="maxBytes"/> bytes (null is written as empty).
    /// </summary>
    public static void WriteUtf8(IBufferWriter<byte> writer, string? text, int maxBytes)
    {
        var span = writer.GetSpan(2 + maxBytes);
        var written = 0;
        if (!string.IsNullOrEmpty(text))
        {
            Encoding.UTF8.GetEncoder().Convert(text, span.Slice(2, maxBytes), flush: true, out _, out written, out _);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)written);
        writer.Advance(2 + written);
    }
}
