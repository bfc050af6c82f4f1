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
        catch (MessagePackSerializationException)
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

        try
        {
            // TryReadBytes checks the declared length against the bytes that are actually present
            // before slicing, so a huge declared length cannot make anyone allocate.
            var bytes = _reader.ReadBytes();
            if (bytes is not { } sequence)
            {
                return Fail(WireErrorCode.MalformedPayload);
            }

            if (sequence.Length > maxLength)
            {
                return Fail(WireErrorCode.FieldTooLarge);
            }

            if (sequence.Length < minLength)
            {
                return Fail(WireErrorCode.MalformedPayload);
            }

            value = sequence.ToArray();
            return true;
        }
        catch (EndOfStreamException)
        {
            return Fail(WireErrorCode.PayloadTooShort);
        }
        catch (MessagePackSerializationException)
        {
            return Fail(WireErrorCode.MalformedPayload);
        }
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
        catch (MessagePackSerializationException)
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
        catch (MessagePackSerializationException)
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
