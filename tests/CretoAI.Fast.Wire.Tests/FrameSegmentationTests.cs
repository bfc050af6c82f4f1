using System.Buffers;
using Xunit;

namespace CretoAI.Fast.Wire.Tests;

/// <summary>Frames arrive in arbitrary pieces: every split point and every prefix must decode the same.</summary>
public class FrameSegmentationTests
{
    public static TheoryData<int> PayloadSizes => new() { 0, 1, 256, 4096 };

    [Theory]
    [MemberData(nameof(PayloadSizes))]
    public void A_frame_split_at_any_byte_boundary_decodes_identically(int size)
    {
        var payload = Pattern(size);
        var bytes = Frames.Encode(MessageType.Ping, 77, payload);
        for (var split = 1; split < bytes.Length; split++)
        {
            var (frames, status, _, remaining) = Frames.DecodeAll(SegmentedSequence.SplitAt(bytes, split));
            Assert.Equal(DecodeStatus.NeedMoreData, status);
            Assert.Equal(0, remaining);
            var (header, decoded) = Assert.Single(frames);
            Assert.Equal(77u, header.CorrelationId);
            Assert.Equal(payload, decoded);
        }
    }

    [Fact]
    public void Two_frames_split_at_every_pair_of_points_decode_identically()
    {
        var stream = Frames.Encode(MessageType.Ping, 1, Pattern(40)).Concat(Frames.Encode(MessageType.Pong, 2, Pattern(33), FrameFlags.Response)).ToArray();
        for (var a = 1; a < stream.Length; a += 3)
        {
            for (var b = a; b < stream.Length; b += 5)
            {
                var (frames, status, _, _) = Frames.DecodeAll(SegmentedSequence.SplitAt(stream, a, b));
                Assert.Equal(DecodeStatus.NeedMoreData, status);
                Assert.Equal(2, frames.Count);
                Assert.Equal(Pattern(40), frames[0].Payload);
                Assert.Equal(Pattern(33), frames[1].Payload);
            }
        }
    }

    [Theory]
    [MemberData(nameof(PayloadSizes))]
    public void One_byte_segments_decode(int size)
    {
        var payload = Pattern(size);
        var bytes = Frames.Encode(MessageType.Pong, 3, payload, FrameFlags.Response);
        var (frames, _, _, _) = Frames.DecodeAll(SegmentedSequence.OneBytePieces(bytes));
        Assert.Equal(payload, Assert.Single(frames).Payload);
    }

    [Theory]
    [MemberData(nameof(PayloadSizes))]
    public void Every_proper_prefix_needs_more_data_and_never_errors(int size)
    {
        var bytes = Frames.Encode(MessageType.Ping, 5, Pattern(size));
        var decoder = new FrameDecoder(WireLimits.DefaultMaxPayloadLength);
        for (var length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.Equal(DecodeStatus.NeedMoreData, decoder.TryDecode(ref buffer, out _, out var error));
            Assert.Equal(WireErrorCode.None, error);
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void Decoded_payload_is_a_slice_of_the_input_not_a_copy()
    {
        var bytes = Frames.Encode(MessageType.Ping, 1, Pattern(64));
        var buffer = new ReadOnlySequence<byte>(bytes);
        var decoder = new FrameDecoder(1024 * 1024);
        Assert.Equal(DecodeStatus.Frame, decoder.TryDecode(ref buffer, out var frame, out _));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(frame.Payload.First, out var segment));
        Assert.Same(bytes, segment.Array);
        Assert.Equal(FrameHeader.Size, segment.Offset);
    }

    private static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 31 + 7)).ToArray();
}
