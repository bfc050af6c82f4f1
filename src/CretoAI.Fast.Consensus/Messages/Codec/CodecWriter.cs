using System.Buffers;
using System.Buffers.Binary;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Messages.Codec;

/// <summary>
/// Writes little-endian fields into an <see cref="IBufferWriter{T}"/>, asking it for memory only when
/// the span in hand is full (one call per buffer, not per field). <see cref="Flush"/> commits what was
/// written; nothing is visible to the buffer writer's reader before it.
/// </summary>
internal ref struct CodecWriter
{
    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;

    public CodecWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _span = default;
        _buffered = 0;
    }

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    public void WriteFlag(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    public void WriteHash(Hash32 value) => value.CopyTo(Reserve(Hash32.Size));

    /// <summary>A count or length prefix: the number of elements or bytes that follow.</summary>
    public void WriteCount(int count) => WriteUInt32((uint)count);

    /// <summary>A u32 length, then the bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteCount(value.Length);
        while (!value.IsEmpty)
        {
            if (_buffered == _span.Length)
            {
                Renew(1);
            }

            var n = Math.Min(value.Length, _span.Length - _buffered);
            value[..n].CopyTo(_span[_buffered..]);
            _buffered += n;
            value = value[n..];
        }
    }

    /// <summary>Commits everything written so far to the buffer writer.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
        }

        _buffered = 0;
        _span = default;
    }

    private Span<byte> Reserve(int length)
    {
        if (_span.Length - _buffered < length)
        {
            Renew(length);
        }

        var slice = _span.Slice(_buffered, length);
        _buffered += length;
        return slice;
    }

    private void Renew(int atLeast)
    {
        Flush();
        _span = _output.GetSpan(atLeast);
    }
}
