using CretoAI.Fast.Net.Tests.Infrastructure;
using CretoAI.Fast.Wire;
using Xunit;

namespace CretoAI.Fast.Net.Tests;

/// <summary>
/// The read loop sends its inline replies straight from its buffer when nothing is queued ahead of
/// them, and through the output pipe otherwise: order, whole frames and backpressure must not
/// depend on which way a reply went.
/// </summary>
public sealed class DirectReplyTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Inline_replies_stay_in_order_around_large_deferred_replies_queued_for_a_slow_reader(bool nativeEventLoop)
    {
        // Deferred echoes of 96 KiB from pool threads fill the socket and queue in the output
        // pipe while the client is not reading; Pongs answered inline in between must neither
        // overtake queued bytes nor split a frame.
        const int Count = 120;
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.NativeEventLoop = nativeEventLoop), new BackgroundEchoHandler());
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();

        var writer = Task.Run(async () =>
        {
            for (var i = 1; i <= Count; i++)
            {
                var type = i % 3 == 0 ? TestMessages.Slow : MessageType.Ping;
                FrameEncoder.Write(client.Output, type, FrameFlags.None, (uint)i, FrameIo.Pattern(PayloadLength(i), i));
                await client.Output.FlushAsync(timeout.Token);
            }
        });

        // Not reading until the server has produced more than the socket buffers can hold, or
        // all of it.
        await Eventually.AssertAsync(() => server.Counters.FramesSent >= Count / 2 || writer.IsCompleted, "the server answered a good part");

        var lastPong = 0u;
        var seen = new HashSet<uint>();
        for (var i = 0; i < Count; i++)
        {
            var reply = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
            var id = reply.CorrelationId;
            Assert.True(seen.Add(id), $"reply {id} twice");
            Assert.Equal(id % 3 == 0 ? TestMessages.SlowReply : MessageType.Pong, reply.Type);
            Assert.Equal(FrameIo.Pattern(PayloadLength((int)id), (int)id), reply.Payload);
            if (reply.Type == MessageType.Pong)
            {
                Assert.True(id > lastPong, $"Pong {id} after Pong {lastPong}");
                lastPong = id;
            }
        }

        await writer;
        Assert.Equal(Count, seen.Count);

        static int PayloadLength(int i) => i % 3 == 0 ? 96 * 1024 : i % 7 == 0 ? ReplyBuffer.Capacity + 100 : i % 50;
    }

    [Fact]
    public async Task A_reply_larger_than_the_reply_buffer_between_small_ones_arrives_whole_and_in_order()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();
        int[] sizes = [8, 0, 3 * ReplyBuffer.Capacity, 16, ReplyBuffer.Capacity - FrameHeader.Size, 1, ReplyBuffer.Capacity, 5];

        // One flush, so the server usually sees several of them in one read batch.
        for (var i = 0; i < sizes.Length; i++)
        {
            FrameEncoder.Write(client.Output, MessageType.Ping, FrameFlags.None, (uint)i + 1, FrameIo.Pattern(sizes[i], i));
        }

        await client.Output.FlushAsync(timeout.Token);
        for (var i = 0; i < sizes.Length; i++)
        {
            var pong = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
            Assert.Equal(MessageType.Pong, pong.Type);
            Assert.Equal((uint)i + 1, pong.CorrelationId);
            Assert.Equal(FrameIo.Pattern(sizes[i], i), pong.Payload);
        }

        // Small replies go the direct way again afterwards.
        Assert.Equal([7], await client.PingAsync(new byte[] { 7 }, timeout.Token));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_peer_that_stops_reading_is_held_back_and_the_server_holds_a_bounded_amount(bool nativeEventLoop)
    {
        // 48 MiB of 1 KiB pings from a client that does not read: far more than the socket
        // buffers of both sides hold. With backpressure the server stops reading once its output
        // is full, so what it holds (read minus sent) stays near its pipes' pause thresholds
        // (about 1.3 MiB with 64 KiB frames); without it, the server would hold tens of MiB.
        const int Count = 48 * 1024;
        const long Bound = 4L * 1024 * 1024;
        var (server, endpoint) = TestServer.Start(TestServer.Options(o =>
        {
            o.NativeEventLoop = nativeEventLoop;
            o.MaxPayloadLength = 64 * 1024;
        }));
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();

        var writer = Task.Run(() => FrameIo.WritePingsAsync(client.Output, Count, 64, timeout.Token));

        // Sampled while the client is not reading (the window only decides how long we look).
        long mostHeld = 0;
        await Eventually.TrueAsync(
            () =>
            {
                mostHeld = Math.Max(mostHeld, server.BytesHeld);
                return writer.IsCompleted;
            },
            TimeSpan.FromSeconds(2));
        Assert.True(mostHeld < Bound, $"the server held {mostHeld} bytes for a client that does not read");
        Assert.True(server.Counters.BytesReceived < Count * 1024L, "the server read everything although nothing was read back");

        // Reading again drains everything, in order.
        await FrameIo.ExpectPongsAsync(client.Input, client.Decoder, Count, 4099, timeout.Token, i =>
        {
            if (i % 1024 == 0)
            {
                mostHeld = Math.Max(mostHeld, server.BytesHeld);
            }
        });

        await writer;
        Assert.True(mostHeld < Bound, $"the server held {mostHeld} bytes while the client caught up");
        Assert.Equal(Count, server.Counters.FramesReceived);
    }
}
