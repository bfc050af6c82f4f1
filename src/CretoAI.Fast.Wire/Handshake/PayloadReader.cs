using System.Buffers;
using MessagePack;

namespace CretoAI.Fast.Wire.Handshake;

/// <summary>
/// A bounds-checked walk over one MessagePack array payload. Every method returns false and sets
/// <see cref="Error"/> instead of throwing, and no length read from the payload is trusted before
/// it is compared with its limit.
/// </summary>
internal ref struct PayloadReader
{
    private MessagePackReader _reader;
    private int _remainingElements;

    public PayloadReader(in ReadOnlySequence<byte> payload)
    {
        _reader = new MessagePackReader(payload);
        _remainingElements = 0;
        Error = WireErrorCode.None;
    }

    public WireErrorCode Error { get; private set; }

    /// <summary>Reads the array header; the array must have at least <paramref name="knownFields"/> elements.</summary>
    public bool TryBegin(int knownFields)
    {
        if (_reader.End)
        {
            return Fail(WireErrorCode.PayloadTooShort);
        }

        if (_reader.NextMessagePackType != MessagePackType.Array)
        {
            return Fail(WireErrorCode.MalformedPayload);
        }

        int count;
        try
        {
            if (!_reader.TryReadArrayHeader(out count))
            {
                return Fail(WireErrorCode.PayloadTooShort);
            }
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or ArgumentOutOfRangeException)
        {
            return Fail(WireErrorCode.MalformedPayload);
        }

        if (count < knownFields)
        {
            return Fail(WireErrorCode.PayloadTooShort);
        }

        if (count > WireLimits.MaxHandshakeFields)
        {
            return Fail(WireErrorCode.FieldTooLarge);
        }

        _remainingElements = count;
        return true;
    }

    public bool TryReadByte(out byte value)
    {
        value = 0;
        if (!TryReadUnsigned(byte.MaxValue, out var wide))
        {
            return false;
        }

        value = (byte)wide;
        return true;
    }

    public bool TryReadInt(out int value)
    {
        value = 0;
        if (!TryReadUnsigned(int.MaxValue, out var wide))
        {
            return false;
        }

        value = (int)wide;
        return true;
    }

    public bool TryReadBytes(int minLength, int maxLength, out byte[] value)
    {
        value = [];
        if (!TakeElement())
        {
            return false;
        }

        if (_reader.NextMessagePackType != MessagePackType.Binary)
        {
            return Fail(WireErrorCode.MalformedPayload);
        }

        // Check the declared length against its limit and against the bytes actually present
        // before MessagePack slices anything: a lying length must neither allocate nor throw.
        var declared = PeekBinaryLength(out var headerLength);
        if (declared < 0)
        {
            return Fail(WireErrorCode.MalformedPayload);
        }

        if (declared > maxLength)
        {
            return Fail(WireErrorCode.FieldTooLarge);
        }

        if (_reader.Sequence.Length - _reader.Consumed < headerLength + declared)
        {
            return Fail(WireErrorCode.PayloadTooShort);
        }

        if (declared < minLength)
        {
            return Fail(WireErrorCode.MalformedPayload);
        }

        try
        {
            var bytes = _reader.ReadBytes();
            if (bytes is not { } sequence)
            {
                return Fail(WireErrorCode.MalformedPayload);
            }

            value = sequence.ToArray();
            return true;
        }
        catch (Exception ex) when (ex is EndOfStreamException or MessagePackSerializationException or ArgumentOutOfRangeException)
        {
            return Fail(WireErrorCode.MalformedPayload);
        }
    }

    /// <summary>
    /// Reads the length of the bin8/bin16/bin32 value at the reader's position without moving it;
    /// -1 if the header is not a binary header or is cut short.
    /// </summary>
    private readonly long PeekBinaryLength(out int headerLength)
    {
        Span<byte> header = stackalloc byte[5];
        var rest = _reader.Sequence.Slice(_reader.Position);
        var available = (int)Math.Min(rest.Length, header.Length);
        rest.Slice(0, available).CopyTo(header);
        headerLength = header[0] switch
        {
            MessagePackCode.Bin8 => 2,
            MessagePackCode.Bin16 => 3,
            MessagePackCode.Bin32 => 5,
            _ => 0,
        };

        if (headerLength == 0 || available < headerLength)
        {
            return -1;
        }

        return headerLength switch
        {
            2 => header[1],
            3 => System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(header[1..]),
            _ => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header[1..]),
        };
    }

    /// <summary>Skips fields a newer peer added, then requires the payload to end.</summary>
    public bool TryEnd()
    {
        try
        {
            while (_remainingElements > 0)
            {
                _remainingElements--;
                if (_reader.End)
                {
                    return Fail(WireErrorCode.PayloadTooShort);
                }

                _reader.Skip();
            }
        }
        catch (EndOfStreamException)
        {
            return Fail(WireErrorCode.PayloadTooShort);
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or ArgumentOutOfRangeException)
        {
            return Fail(WireErrorCode.MalformedPayload);
        }

        return _reader.End || Fail(WireErrorCode.TrailingBytes);
    }

    private bool TryReadUnsigned(ulong max, out ulong value)
    {
        value = 0;
        if (!TakeElement())
        {
            return false;
        }

        if (_reader.NextMessagePackType != MessagePackType.Integer)
        {
            return Fail(WireErrorCode.MalformedPayload);
        }

        try
        {
            var signed = _reader.ReadInt64();
            if (signed < 0 || (ulong)signed > max)
            {
                return Fail(WireErrorCode.MalformedPayload);
            }

            value = (ulong)signed;
            return true;
        }
        catch (EndOfStreamException)
        {
            return Fail(WireErrorCode.PayloadTooShort);
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or ArgumentOutOfRangeException)
        {
            return Fail(WireErrorCode.MalformedPayload);
        }
        catch (OverflowException)
        {
            return Fail(WireErrorCode.MalformedPayload);
        }
    }

    private bool TakeElement()
    {
        if (_remainingElements <= 0)
        {
            return Fail(WireErrorCode.PayloadTooShort);
        }

        _remainingElements--;
        if (_reader.End)
        {
            return Fail(WireErrorCode.PayloadTooShort);
        }

        return true;
    }

    private bool Fail(WireErrorCode code)
    {
        Error = code;
        return false;
    }
}
