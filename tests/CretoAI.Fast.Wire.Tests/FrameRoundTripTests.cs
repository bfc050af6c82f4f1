using System.Buffers;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Wire.Tests;

public class FrameRoundTripTests
{
    private static readonly Gen<MessageType> AnyType = Gen.OneOfConst(Enum.GetValues<MessageType>()).SelectMany(t => Gen.OneOf(Gen.Const(t), Gen.UShort.Select(u => (MessageType)u)));
    private static readonly Gen<FrameFlags> AnyFlags = Gen.OneOfConst(FrameFlags.None, FrameFlags.Response);

    [Fact]
    public void Every_frame_encodes_and_decodes_to_the_same_header_and_payload() =>
        Gen.Select(AnyType, AnyFlags, Gen.UInt, Gen.Byte.Array[0, 5000]).Sample((type, flags, id, payload) =>
        {
            var bytes = Frames.Encode(type, id, payload, flags);
            Assert.Equal(FrameHeader.Size + payload.Length, bytes.Length);

            var (frames, status, _, remaining) = Frames.DecodeAll(new ReadOnlySequence<byte>(bytes));
            Assert.Equal(DecodeStatus.NeedMoreData, status);
            Assert.Equal(0, remaining);
            var (header, decoded) = Assert.Single(frames);
            Assert.Equal(new FrameHeader(flags, type, id, payload.Length), header);
            Assert.Equal(payload, decoded);
        });

    [Fact]
    public void Sequence_payload_overload_writes_the_same_bytes_as_the_span_overload() =>
        Gen.Select(Gen.Byte.Array[0, 3000], Gen.Int[1, 700]).Sample((payload, piece) =>
        {
            var pieces = payload.Chunk(piece).ToArray();
            var sequence = SegmentedSequence.From(pieces);
            var writer = new ArrayBufferWriter<byte>();
            FrameEncoder.Write(writer, MessageType.Pong, FrameFlags.Response, 9, sequence);
            Assert.Equal(Frames.Encode(MessageType.Pong, 9, payload, FrameFlags.Response), writer.WrittenSpan.ToArray());
        });

    [Fact]
    public void Back_to_back_frames_decode_in_order() =>
        Gen.Byte.Array[0, 600].Array[1, 12].Sample(payloads =>
        {
            var stream = payloads.SelectMany((p, i) => Frames.Encode(MessageType.Ping, (uint)i, p)).ToArray();
            var (frames, status, _, remaining) = Frames.DecodeAll(new ReadOnlySequence<byte>(stream));
            Assert.Equal(DecodeStatus.NeedMoreData, status);
            Assert.Equal(0, remaining);
            Assert.Equal(payloads.Length, frames.Count);
            for (var i = 0; i < payloads.Length; i++)
            {
                Assert.Equal((uint)i, frames[i].Header.CorrelationId);
                Assert.Equal(payloads[i], frames[i].Payload);
            }
        });

    [Fact]
    public void Error_frames_round_trip_code_and_message() =>
        Gen.Select(Gen.OneOfConst(Enum.GetValues<WireErrorCode>()), Gen.String[0, 300]).Sample((code, message) =>
        {
            var writer = new ArrayBufferWriter<byte>();
            FrameEncoder.WriteError(writer, 5, code, message);
            var (frames, _, _, _) = Frames.DecodeAll(new ReadOnlySequence<byte>(writer.WrittenMemory));
            var (header, payload) = Assert.Single(frames);
            Assert.Equal(MessageType.Error, header.Type);
            Assert.True(header.IsResponse);
            Assert.Equal(WireErrorCode.None, ErrorPayload.TryRead(new ReadOnlySequence<byte>(payload), out var readCode, out var readMessage));
            Assert.Equal(code, readCode);

            // Messages longer than 512 UTF-8 bytes are cut on a character boundary; shorter ones survive intact.
            if (System.Text.Encoding.UTF8.GetByteCount(message) <= WireLimits.MaxErrorMessageBytes && !message.Any(char.IsSurrogate))
            {
                Assert.Equal(message, readMessage);
            }
            else
            {
                Assert.True(System.Text.Encoding.UTF8.GetByteCount(readMessage) <= WireLimits.MaxErrorMessageBytes);
            }
        });
}
