using System.Buffers;
using CretoAI.Fast.Consensus.Messages.Codec;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests.Codec;

public sealed class SyncRequestPayloadTests
{
    [Fact]
    public void Any_request_with_positive_bounds_round_trips() =>
        Gen.Select(Gen.ULong, Gen.UInt[1, uint.MaxValue], Gen.UInt[1, uint.MaxValue]).Sample(t =>
        {
            var request = new SyncRequestPayload(t.Item1, t.Item2, t.Item3);
            var writer = new ArrayBufferWriter<byte>();
            request.Write(writer);
            Assert.Equal(SyncRequestPayload.Size, writer.WrittenCount);
            Assert.Equal(ConsensusDecodeError.None, SyncRequestPayload.TryRead(writer.WrittenSpan, out var decoded));
            Assert.Equal(request, decoded);
        });

    [Fact]
    public void Short_long_and_zero_bounded_requests_are_refused()
    {
        var bytes = new byte[SyncRequestPayload.Size];
        new SyncRequestPayload(5, 10, 1000).Write(bytes);
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Equal(ConsensusDecodeError.Truncated, SyncRequestPayload.TryRead(bytes.AsSpan(0, length), out _));
        }

        Assert.Equal(ConsensusDecodeError.TrailingBytes, SyncRequestPayload.TryRead([.. bytes, 0], out _));

        new SyncRequestPayload(5, 0, 1000).Write(bytes);
        Assert.Equal(ConsensusDecodeError.BadValue, SyncRequestPayload.TryRead(bytes, out var request));
        Assert.Equal(default, request);
        new SyncRequestPayload(5, 10, 0).Write(bytes);
        Assert.Equal(ConsensusDecodeError.BadValue, SyncRequestPayload.TryRead(bytes, out _));
    }
}
