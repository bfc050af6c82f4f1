using System.Buffers;
using System.Buffers.Binary;
using Xunit;

namespace CretoAI.Fast.Wire.Tests;

public class ErrorPayloadTests
{
    [Fact]
    public void Layout_is_code_length_then_utf8()
    {
        var buffer = new byte[ErrorPayload.MaxLength];
        var length = ErrorPayload.Write(buffer, WireErrorCode.ChainIdMismatch, "é!");
        Assert.Equal(new byte[] { 102, 0, 3, 0, 0xC3, 0xA9, 0x21 }, buffer[..length]);
    }

    [Fact]
    public void Long_messages_are_cut_to_512_bytes_on_a_character_boundary()
    {
        var buffer = new byte[ErrorPayload.MaxLength];
        var length = ErrorPayload.Write(buffer, WireErrorCode.InternalError, new string('é', 400)); // 800 UTF-8 bytes
        Assert.Equal(ErrorPayload.FixedLength + 512, length);
        Assert.Equal(WireErrorCode.None, ErrorPayload.TryRead(new ReadOnlySequence<byte>(buffer, 0, length), out _, out var message));
        Assert.Equal(new string('é', 256), message);
    }

    [Fact]
    public void Too_short_trailing_oversized_and_invalid_utf8_are_specific_errors()
    {
        Assert.Equal(WireErrorCode.PayloadTooShort, Read([1, 0, 0]));
        Assert.Equal(WireErrorCode.PayloadTooShort, Read([1, 0, 5, 0, 65, 66]));
        Assert.Equal(WireErrorCode.TrailingBytes, Read([1, 0, 1, 0, 65, 66]));
        Assert.Equal(WireErrorCode.MalformedPayload, Read([1, 0, 2, 0, 0xC3, 0x28]));

        var declaredTooLong = new byte[ErrorPayload.MaxLength];
        BinaryPrimitives.WriteUInt16LittleEndian(declaredTooLong.AsSpan(2), 513);
        Assert.Equal(WireErrorCode.FieldTooLarge, Read(declaredTooLong));
        Assert.Equal(WireErrorCode.FieldTooLarge, Read(new byte[ErrorPayload.MaxLength + 1]));
    }

    [Fact]
    public void Empty_message_is_valid()
    {
        Assert.Equal(WireErrorCode.None, ErrorPayload.TryRead(new ReadOnlySequence<byte>(new byte[] { 200, 0, 0, 0 }), out var code, out var message));
        Assert.Equal(WireErrorCode.TooManyConnections, code);
        Assert.Equal(string.Empty, message);
    }

    [Fact]
    public void Every_code_has_a_description() =>
        Assert.All(Enum.GetValues<WireErrorCode>(), code => Assert.NotEqual("unknown error code", WireErrorCodes.Describe(code)));

    private static WireErrorCode Read(byte[] payload) => ErrorPayload.TryRead(new ReadOnlySequence<byte>(payload), out _, out _);
}
