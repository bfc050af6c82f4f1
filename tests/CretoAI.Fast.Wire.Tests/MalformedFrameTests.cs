using System.Buffers;
using System.Buffers.Binary;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Wire.Tests;

/// <summary>Every way a frame can be malformed yields its own error code, as early as the bytes allow.</summary>
public class MalformedFrameTests
{
    private static readonly byte[] Good = Frames.Encode(MessageType.Ping, 1, [1, 2, 3, 4]);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Bad_magic_is_refused_from_the_first_wrong_byte(int index)
    {
        var bytes = (byte[])Good.Clone();
        bytes[index] ^= 0xFF;
        Assert.Equal(WireErrorCode.BadMagic, DecodeError(bytes.AsSpan(0, index + 1).ToArray()));
        Assert.Equal(WireErrorCode.BadMagic, DecodeError(bytes));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void Unknown_version_is_refused_after_three_bytes(byte version)
    {
        var bytes = (byte[])Good.Clone();
        bytes[2] = version;
        Assert.Equal(WireErrorCode.UnsupportedVersion, DecodeError(bytes.AsSpan(0, 3).ToArray()));
        Assert.Equal(WireErrorCode.UnsupportedVersion, DecodeError(bytes));
    }

    [Theory]
    [InlineData(0x02)]
    [InlineData(0x80)]
    [InlineData(0xFE)]
    public void Reserved_flag_bits_are_refused(byte flags)
    {
        var bytes = (byte[])Good.Clone();
        bytes[3] = flags;
        Frames.Reseal(bytes);
        Assert.Equal(WireErrorCode.ReservedFlags, DecodeError(bytes));
    }

    [Fact]
    public void Reserved_header_field_must_be_zero()
    {
        var bytes = (byte[])Good.Clone();
        bytes[7] = 1;
        Frames.Reseal(bytes);
        Assert.Equal(WireErrorCode.ReservedHeaderBits, DecodeError(bytes));
    }

    [Fact]
    public void Length_over_the_limit_is_refused_from_the_header_alone()
    {
        // Only the 16 header bytes up to the length are present: no payload, no checksum. The
        // decoder refuses without waiting for (or anyone buffering) the claimed 2 GiB.
        var header = new byte[16];
        new FrameHeader(FrameFlags.None, MessageType.Ping, 1, 0).WritePrefix(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), 0x8000_0000);
        Assert.Equal(WireErrorCode.FrameTooLarge, DecodeError(header));

        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), 1025);
        Assert.Equal(WireErrorCode.FrameTooLarge, DecodeError(header, maxPayload: 1024));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), 1024);
        Assert.Equal(WireErrorCode.None, DecodeError(header, maxPayload: 1024));
    }

    [Fact]
    public void Any_single_bit_flip_in_the_checksummed_bytes_is_detected() =>
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Int[0, int.MaxValue], Gen.Int[0, 7]).Sample((payload, at, bit) =>
        {
            var bytes = Frames.Encode(MessageType.Pong, 42, payload, FrameFlags.Response);
            // Flip a bit in the covered region: header bytes 4..15 (type, reserved excluded below) or the payload or the checksum.
            var candidates = Enumerable.Range(4, 12).Where(i => i is not 6 and not 7 and not 12 and not 13 and not 14 and not 15)
                .Concat(Enumerable.Range(16, 4))
                .Concat(Enumerable.Range(FrameHeader.Size, payload.Length)).ToArray();
            var index = candidates[at % candidates.Length];
            bytes[index] ^= (byte)(1 << bit);
            Assert.Equal(WireErrorCode.ChecksumMismatch, DecodeError(bytes));
        });

    [Fact]
    public void Truncated_frame_at_end_of_stream_is_reported()
    {
        for (var length = 1; length < Good.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(Good, 0, length);
            var decoder = new FrameDecoder(1024);
            Assert.Equal(DecodeStatus.NeedMoreData, decoder.TryDecode(ref buffer, out _, out _));
            Assert.Equal(WireErrorCode.TruncatedFrame, FrameDecoder.CheckEndOfStream(buffer));
        }

        Assert.Equal(WireErrorCode.None, FrameDecoder.CheckEndOfStream(ReadOnlySequence<byte>.Empty));
    }

    [Fact]
    public void Unknown_message_types_decode_as_frames_for_the_transport_to_answer()
    {
        var bytes = Frames.Encode((MessageType)0x7777, 3, [9]);
        var (frames, _, _, _) = Frames.DecodeAll(new ReadOnlySequence<byte>(bytes));
        Assert.Equal((MessageType)0x7777, Assert.Single(frames).Header.Type);
        Assert.False(MessageTypes.IsKnown((MessageType)0x7777));
        Assert.False(MessageTypes.IsKnown(MessageType.None));
        Assert.True(MessageTypes.IsKnown(MessageType.Ping));
        Assert.False(WireErrorCodes.ClosesConnection(WireErrorCode.UnknownMessageType));
        Assert.True(WireErrorCodes.ClosesConnection(WireErrorCode.ChecksumMismatch));
    }

    [Fact]
    public void Random_bytes_never_throw_and_never_decode_forever() =>
        Gen.Byte.Array[0, 2000].Sample(bytes =>
        {
            var buffer = new ReadOnlySequence<byte>(bytes);
            var decoder = new FrameDecoder(1024);
            for (var steps = 0; steps <= bytes.Length; steps++)
            {
                var before = buffer.Length;
                var status = decoder.TryDecode(ref buffer, out _, out _);
                if (status != DecodeStatus.Frame)
                {
                    return;
                }

                Assert.True(buffer.Length < before, "a decoded frame must consume bytes");
            }
        });

    [Fact]
    public void Decoder_limit_is_validated() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameDecoder(WireLimits.AbsoluteMaxPayloadLength + 1));

    private static WireErrorCode DecodeError(byte[] bytes, int maxPayload = 1024)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        new FrameDecoder(maxPayload).TryDecode(ref buffer, out _, out var error);
        return error;
    }
}
