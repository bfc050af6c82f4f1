using System.Buffers;
using System.IO.Pipelines;
using CretoAI.Fast.Net.Tests.Infrastructure;
using CretoAI.Fast.Wire;
using Xunit;

namespace CretoAI.Fast.Net.Tests;

/// <summary>The read loop's inline reply buffer: what stays in it, what spills to the pipe, and in which order.</summary>
public sealed class ReplyBufferTests
{
    [Fact]
    public void Small_replies_stay_in_the_buffer_and_leave_the_pipe_untouched()
    {
        var pipe = new Pipe();
        var replies = new ReplyBuffer(pipe.Writer);
        FrameEncoder.Write(replies, MessageType.Pong, FrameFlags.Response, 1, FrameIo.Pattern(32, 1));
        FrameEncoder.Write(replies, MessageType.Pong, FrameFlags.Response, 2, FrameIo.Pattern(32, 2));

        Assert.False(replies.HasSpilled);
        Assert.Equal(2 * FrameEncoder.FrameLength(32), replies.Pending.Length);
        Assert.Equal(replies.Pending.Length, replies.BatchBytes);
        Assert.Equal(0, pipe.Writer.UnflushedBytes);
        Assert.Equal([1u, 2u], Decode(replies.Pending.ToArray()).Select(f => f.CorrelationId));

        replies.Reset();
        Assert.True(replies.Pending.IsEmpty);
        Assert.Equal(0, replies.BatchBytes);
        replies.Release();
    }

    [Theory]
    [InlineData(ReplyBuffer.Capacity)]
    [InlineData(ReplyBuffer.Capacity * 3 + 7)]
    public async Task A_reply_larger_than_the_buffer_spills_everything_in_order_to_the_pipe(int bigPayload)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var replies = new ReplyBuffer(pipe.Writer);
        FrameEncoder.Write(replies, MessageType.Pong, FrameFlags.Response, 1, FrameIo.Pattern(100, 1));
        FrameEncoder.Write(replies, MessageType.Pong, FrameFlags.Response, 2, FrameIo.Pattern(bigPayload, 2));
        FrameEncoder.Write(replies, MessageType.Pong, FrameFlags.Response, 3, FrameIo.Pattern(10, 3));

        Assert.True(replies.HasSpilled);
        Assert.True(replies.Pending.IsEmpty);
        var total = FrameEncoder.FrameLength(100) + FrameEncoder.FrameLength(bigPayload) + FrameEncoder.FrameLength(10);
        Assert.Equal(total, replies.BatchBytes);
        Assert.Equal(total, pipe.Writer.UnflushedBytes);

        await pipe.Writer.FlushAsync();
        var read = await pipe.Reader.ReadAsync();
        var frames = Decode(read.Buffer.ToArray());
        Assert.Equal([1u, 2u, 3u], frames.Select(f => f.CorrelationId));
        Assert.Equal(FrameIo.Pattern(bigPayload, 2), frames[1].Payload);

        // The next batch starts in the buffer again.
        replies.Reset();
        FrameEncoder.Write(replies, MessageType.Pong, FrameFlags.Response, 4, FrameIo.Pattern(8, 4));
        Assert.False(replies.HasSpilled);
        Assert.Equal(FrameEncoder.FrameLength(8), replies.Pending.Length);
        replies.Release();
    }

    [Fact]
    public async Task Many_small_replies_that_overflow_the_buffer_keep_their_order_across_the_spill()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var replies = new ReplyBuffer(pipe.Writer);
        const int Count = 1_000; // 1,000 × 57 bytes > the buffer
        for (var i = 1; i <= Count; i++)
        {
            FrameEncoder.Write(replies, MessageType.Pong, FrameFlags.Response, (uint)i, FrameIo.Pattern(i % 64, i));
        }

        Assert.True(replies.HasSpilled);
        await pipe.Writer.FlushAsync();
        var read = await pipe.Reader.ReadAsync();
        var frames = Decode(read.Buffer.ToArray());
        Assert.Equal(Enumerable.Range(1, Count).Select(i => (uint)i), frames.Select(f => f.CorrelationId));
        for (var i = 1; i <= Count; i++)
        {
            Assert.Equal(FrameIo.Pattern(i % 64, i), frames[i - 1].Payload);
        }

        replies.Release();
    }

    [Fact]
    public async Task Moving_to_the_pipe_after_a_partial_send_queues_only_the_unsent_rest()
    {
        var pipe = new Pipe();
        var replies = new ReplyBuffer(pipe.Writer);
        FrameEncoder.Write(replies, MessageType.Pong, FrameFlags.Response, 1, FrameIo.Pattern(40, 1));
        var all = replies.Pending.ToArray();

        replies.MoveToPipe(alreadySent: 13);
        Assert.True(replies.Pending.IsEmpty);
        await pipe.Writer.FlushAsync();
        var read = await pipe.Reader.ReadAsync();
        Assert.Equal(all[13..], read.Buffer.ToArray());
        replies.Release();
    }

    private static List<ReceivedFrame> Decode(byte[] bytes)
    {
        var decoder = new FrameDecoder(WireLimits.DefaultMaxPayloadLength);
        var buffer = new ReadOnlySequence<byte>(bytes);
        var frames = new List<ReceivedFrame>();
        while (decoder.TryDecode(ref buffer, out var frame, out var error) == DecodeStatus.Frame)
        {
            Assert.Equal(WireErrorCode.None, error);
            frames.Add(new ReceivedFrame(frame.Header, frame.Payload.ToArray()));
        }

        Assert.True(buffer.IsEmpty, "bytes left after the last whole frame");
        return frames;
    }
}
