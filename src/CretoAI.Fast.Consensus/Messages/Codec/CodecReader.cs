using System.Buffers.Binary;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Messages.Codec;

/// <summary>
/// A bounds-checked cursor over a payload. Every method returns false and records the first
/// <see cref="Error"/> instead of throwing; a count or length is compared with its limit and with the
/// bytes left before anything is allocated for it, so the memory a payload can make the decoder take
/// is proportional to the payload's own length.
/// </summary>
internal ref struct CodecReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private int _position;

    public CodecReader(ReadOnlySpan<byte> bytes, ConsensusCodecLimits limits)
    {
        _bytes = bytes;
        _position = 0;
        Limits = limits;
        Error = ConsensusDecodeError.None;
    }

    public ConsensusCodecLimits Limits { get; }

    public ConsensusDecodeError Error { get; private set; }

    public readonly int Position => _position;

    public readonly int Remaining => _bytes.Length - _position;

    /// <summary>Records <paramref name="error"/> (the first one wins) and returns false.</summary>
    public bool Fail(ConsensusDecodeError error)
    {
        if (Error == ConsensusDecodeError.None)
        {
            Error = error;
        }

        return false;
    }

    public bool TryReadByte(out byte value)
    {
        if (Remaining < 1)
        {
            value = 0;
            return Fail(ConsensusDecodeError.Truncated);
        }

        value = _bytes[_position++];
        return true;
    }

    /// <summary>A presence flag: exactly 0 or 1.</summary>
    public bool TryReadFlag(out bool value)
    {
        value = false;
        if (!TryReadByte(out var b))
        {
            return false;
        }

        if (b > 1)
        {
            return Fail(ConsensusDecodeError.BadValue);
        }

        value = b == 1;
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        if (Remaining < 4)
        {
            value = 0;
            return Fail(ConsensusDecodeError.Truncated);
        }

        value = BinaryPrimitives.ReadUInt32LittleEndian(_bytes[_position..]);
        _position += 4;
        return true;
    }

    public bool TryReadInt32(out int value)
    {
        if (Remaining < 4)
        {
            value = 0;
            return Fail(ConsensusDecodeError.Truncated);
        }

        value = BinaryPrimitives.ReadInt32LittleEndian(_bytes[_position..]);
        _position += 4;
        return true;
    }

    public bool TryReadUInt64(out ulong value)
    {
        if (Remaining < 8)
        {
            value = 0;
            return Fail(ConsensusDecodeError.Truncated);
        }

        value = BinaryPrimitives.ReadUInt64LittleEndian(_bytes[_position..]);
        _position += 8;
        return true;
    }

    public bool TryReadHash(out Hash32 value)
    {
        if (Remaining < Hash32.Size)
        {
            value = default;
            return Fail(ConsensusDecodeError.Truncated);
        }

        value = new Hash32(_bytes.Slice(_position, Hash32.Size));
        _position += Hash32.Size;
        return true;
    }

    /// <summary>
    /// A u32 count of elements that each take at least <paramref name="minElementBytes"/>: above
    /// <paramref name="limit"/> is <paramref name="overLimit"/>; more than the bytes left can hold is
    /// <see cref="ConsensusDecodeError.Truncated"/>. Only then may the caller allocate for it.
    /// </summary>
    public bool TryReadCount(int limit, int minElementBytes, ConsensusDecodeError overLimit, out int count)
    {
        count = 0;
        if (!TryReadUInt32(out var declared))
        {
            return false;
        }

        if (declared > (uint)Math.Max(limit, 0))
        {
            return Fail(overLimit);
        }

        if ((ulong)declared * (ulong)minElementBytes > (ulong)Remaining)
        {
            return Fail(ConsensusDecodeError.Truncated);
        }

        count = (int)declared;
        return true;
    }

    /// <summary>A u32 length and that many bytes, copied; above <paramref name="maxLength"/> is <paramref name="overLimit"/>.</summary>
    public bool TryReadBytes(int maxLength, ConsensusDecodeError overLimit, out byte[] value)
    {
        value = [];
        if (!TryReadUInt32(out var length))
        {
            return false;
        }

        if (length > (uint)Math.Max(maxLength, 0))
        {
            return Fail(overLimit);
        }

        return TryTake(length, out value);
    }

    /// <summary>The next <paramref name="length"/> bytes, copied (checked against the bytes left first).</summary>
    public bool TryTake(uint length, out byte[] value)
    {
        value = [];
        if (length > (uint)Remaining)
        {
            return Fail(ConsensusDecodeError.Truncated);
        }

        if (length > 0)
        {
            // Every byte is overwritten by the copy: no need for the runtime to zero it first (for
            // transaction-sized arrays that clearing was a visible share of a follower's profile).
            value = GC.AllocateUninitializedArray<byte>((int)length);
            _bytes.Slice(_position, (int)length).CopyTo(value);
            _position += (int)length;
        }

        return true;
    }
}
