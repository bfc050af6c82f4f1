using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace CretoAI.Fast.Wire;

/// <summary>
/// Fixed layout of an <see cref="MessageType.Error"/> payload:
/// <code>
/// 0  u16  error code (WireErrorCode)
/// 2  u16  message length in bytes, at most 512
/// 4  ...  message, UTF-8, exactly that many bytes; nothing may follow
/// </code>
/// </summary>
public static class ErrorPayload
{
    public const int FixedLength = 4;
    public const int MaxLength = FixedLength + WireLimits.MaxErrorMessageBytes;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Encodes into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes), truncating the message on a character boundary.</summary>
    public static int Write(Span<byte> destination, WireErrorCode code, ReadOnlySpan<char> message)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)code);
        var text = destination.Slice(FixedLength, Math.Min(WireLimits.MaxErrorMessageBytes, destination.Length - FixedLength));
        Encoding.UTF8.GetEncoder().Convert(message, text, flush: true, out _, out var written, out _);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], (ushort)written);
        return FixedLength + written;
    }

    /// <summary>Decodes an error payload; the message is returned as a string (error frames are cold).</summary>
    public static WireErrorCode TryRead(in ReadOnlySequence<byte> payload, out WireErrorCode code, out string message)
    {
        code = WireErrorCode.None;
        message = string.Empty;
        if (payload.Length < FixedLength)
        {
            return WireErrorCode.PayloadTooShort;
        }

        if (payload.Length > MaxLength)
        {
            return WireErrorCode.FieldTooLarge;
        }

        Span<byte> bytes = stackalloc byte[MaxLength];
        payload.CopyTo(bytes);
        var length = BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]);
        if (length > WireLimits.MaxErrorMessageBytes)
        {
            return WireErrorCode.FieldTooLarge;
        }

        var total = FixedLength + length;
        if (payload.Length < total)
        {
            return WireErrorCode.PayloadTooShort;
        }

        if (payload.Length > total)
        {
            return WireErrorCode.TrailingBytes;
        }

        try
        {
            message = StrictUtf8.GetString(bytes.Slice(FixedLength, length));
        }
        catch (DecoderFallbackException)
        {
            return WireErrorCode.MalformedPayload;
        }

        code = (WireErrorCode)BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        return WireErrorCode.None;
    }
}
