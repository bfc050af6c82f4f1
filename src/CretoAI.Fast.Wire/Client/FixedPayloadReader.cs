using System.Buffers.Binary;
using System.Text;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Wire.Client;

/// <summary>
/// A bounds-checked walk over a fixed-layout, little-endian payload of the client protocol. Every
/// method returns false and sets <see cref="Error"/> instead of throwing; no length read from the
/// payload is used before it is checked against its limit and against the bytes present.
/// </summary>
internal ref struct FixedPayloadReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _payload;
    private int _offset;

    public FixedPayloadReader(ReadOnlySpan<byte> payload)
    {
        _payload = payload;
        _offset = 0;
        Error = WireErrorCode.None;
    }

    public WireErrorCode Error { get; private set; }

    public readonly int Remaining => _payload.Length - _offset;

    public bool TryReadByte(out byte value)
    {
        value = 0;
        if (!Take(1, out var bytes))
        {
            return false;
        }

        value = bytes[0];
        return true;
    }

    public bool TryReadBoolean(out bool value)
    {
        value = false;
        if (!TryReadByte(out var raw))
        {
            return false;
        }

        if (raw > 1)
        {
            return Fail(WireErrorCode.MalformedPayload);
        }

        value = raw == 1;
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        value = 0;
        if (!Take(2, out var bytes))
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        value = 0;
        if (!Take(4, out var bytes))
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        return true;
    }

    public bool TryReadUInt64(out ulong value)
    {
        value = 0;
        if (!Take(8, out var bytes))
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return true;
    }

    /// <summary>Reads an i32 that must be at least <paramref name="min"/>.</summary>
    public bool TryReadInt32(int min, out int value)
    {
        value = 0;
        if (!Take(4, out var bytes))
        {
            return false;
        }

        var raw = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (raw < min)
        {
            return Fail(WireErrorCode.MalformedPayload);
        }

        value = raw;
        return true;
    }

    /// <summary>Reads an i64 that must not be negative.</summary>
    public bool TryReadNonNegativeInt64(out long value)
    {
        value = 0;
        if (!Take(8, out var bytes))
        {
            return false;
        }

        var raw = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        if (raw < 0)
        {
            return Fail(WireErrorCode.MalformedPayload);
        }

        value = raw;
        return true;
    }

    public bool TryReadHash(out Hash32 value)
    {
        value = default;
        if (!Take(Hash32.Size, out var bytes))
        {
            return false;
        }

        value = new Hash32(bytes);
        return true;
    }

    /// <summary>
    /// Reads a u16 length L (at most <paramref name="maxBytes"/>) and L bytes of strict UTF-8. An
    /// empty text is returned as <see cref="string.Empty"/>.
    /// </summary>
    public bool TryReadUtf8(int maxBytes, out string value)
    {
        value = string.Empty;
        if (!TryReadUInt16(out var length))
        {
            return false;
        }

        if (length > maxBytes)
        {
            return Fail(WireErrorCode.FieldTooLarge);
        }

        if (!Take(length, out var bytes))
        {
            return false;
        }

        if (length == 0)
        {
            return true;
        }

        try
        {
            value = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return Fail(WireErrorCode.MalformedPayload);
        }
    }

    /// <summary>True when every byte was read; otherwise <see cref="WireErrorCode.TrailingBytes"/>.</summary>
    public bool TryEnd() => _offset == _payload.Length || Fail(WireErrorCode.TrailingBytes);

    public bool Fail(WireErrorCode code)
    {
        Error = code;
        return false;
    }

    private bool Take(int count, out ReadOnlySpan<byte> bytes)
    {
        if (Remaining < count)
        {
            bytes = default;
            return Fail(WireErrorCode.PayloadTooShort);
        }

        bytes = _payload.Slice(_offset, count);
        _offset += count;
        return true;
    }
}
