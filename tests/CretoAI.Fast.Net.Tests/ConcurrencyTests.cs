using CretoAI.Fast.Net.Tests.Infrastructure;
using CretoAI.Fast.Wire;
using Xunit;

namespace CretoAI.Fast.Net.Tests;

/// <summary>Many sessions at once, and many frames per read and per flush.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Sixty_four_clients_each_pipelining_fifty_pings()
    {
        const int Clients = 64;
        const int PingsPerClient = 50;
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;

        var clients = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => TestServer.ConnectAsync(endpoint)));
        try
        {
            await Eventually.AssertAsync(() => server.ActiveConnections == Clients, "every client holds a session");
            await Task.WhenAll(clients.Select((client, index) => PipelinePingsAsync(client, index, PingsPerClient)));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        Assert.True(server.Counters.FramesReceived >= Clients * PingsPerClient, $"frames received: {server.Counters.FramesReceived}");
        Assert.True(server.Counters.FramesSent >= Clients * PingsPerClient, $"frames sent: {server.Counters.FramesSent}");
        Assert.Equal(Clients, server.Counters.ConnectionsAccepted);
        Assert.Equal(0, server.Counters.HandshakesFailed);
        await Eventually.AssertAsync(() => server.ActiveConnections == 0, "every session released");
        Assert.Equal(0, server.Counters.ConnectionsActive);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_thousand_pings_in_one_flush_come_back_in_order(bool inlineScheduling)
    {
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.InlineScheduling = inlineScheduling));
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint, TestServer.ClientOptions(o => o.InlineScheduling = inlineScheduling));

        await PipelinePingsAsync(client, 1, 1000);

        Assert.Equal(1000, server.Counters.FramesReceived);
        Assert.Equal(1000, server.Counters.FramesSent);

        // Each pong echoes its ping's payload: as many bytes out as in, headers included.
        Assert.True(server.Counters.BytesReceived >= 1000 * FrameHeader.Size, $"bytes received: {server.Counters.BytesReceived}");
        Assert.Equal(server.Counters.BytesReceived, server.Counters.BytesSent);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Both_receive_paths_serve_many_clients(bool nativeEventLoop)
    {
        // The epoll receive loop (Linux x64) and Socket.ReceiveAsync must serve alike; the whole
        // suite runs on the epoll path by default and on ReceiveAsync with
        // CRETOAI_FAST_NET_EVENT_LOOP=socket.
        const int Clients = 16;
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.NativeEventLoop = nativeEventLoop));
        await using var _ = server;
        var clients = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => TestServer.ConnectAsync(endpoint)));
        try
        {
            await Task.WhenAll(clients.Select((client, index) => PipelinePingsAsync(client, index, 200)));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        Assert.Equal(Clients * 200, server.Counters.FramesReceived);
        Assert.Equal(Clients * 200, server.Counters.FramesSent);
        await Eventually.AssertAsync(() => server.ActiveConnections == 0, "every session released");
    }

    [Fact]
    public async Task Pipelined_pings_with_large_payloads_arrive_intact()
    {
        // Frames far bigger than one socket read: the server must reassemble across reads.
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();
        var sizes = new[] { 0, 1, 65_535, 300_000, 17, 1_000_000, 8_191 };

        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < sizes.Length; i++)
            {
                FrameEncoder.Write(client.Output, MessageType.Ping, FrameFlags.None, (uint)i + 1, FrameIo.Pattern(sizes[i], i));
                await client.Output.FlushAsync(timeout.Token);
            }
        });

        for (var i = 0; i < sizes.Length; i++)
        {
            var pong = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
            Assert.Equal(MessageType.Pong, pong.Type);
            Assert.Equal((uint)i + 1, pong.CorrelationId);
            Assert.Equal(FrameIo.Pattern(sizes[i], i), pong.Payload);
        }

        await writer;
    }

    [Fact]
    public async Task Reading_slowly_applies_backpressure_without_losing_frames()
    {
        // 20 MB of pings written while the reader lags: the server's output fills, it stops
        // reading, TCP windows fill, and the writer waits; nothing is dropped or reordered.
        const int Count = 20_000;
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();

        var writer = Task.Run(() => FrameIo.WritePingsAsync(client.Output, Count, 100, timeout.Token));

        await FrameIo.ExpectPongsAsync(client.Input, client.Decoder, Count, 997, timeout.Token);

        await writer;
        Assert.Equal(Count, server.Counters.FramesReceived);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Pings_and_deferred_replies_interleave_without_corrupting_the_stream(bool inlineScheduling)
    {
        // Deferred replies are written from pool threads while the read loop writes Pongs: the
        // write lock must keep every frame whole.
        const int Count = 500;
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.InlineScheduling = inlineScheduling), new BackgroundEchoHandler());
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();

        for (var i = 1; i <= Count; i++)
        {
            var type = i % 2 == 0 ? MessageType.Ping : TestMessages.Slow;
            FrameEncoder.Write(client.Output, type, FrameFlags.None, (uint)i, FrameIo.Pattern(i % 300, i));
        }

        await client.Output.FlushAsync(timeout.Token);

        var seen = new HashSet<uint>();
        for (var i = 0; i < Count; i++)
        {
            var reply = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
            var id = reply.CorrelationId;
            Assert.Equal(id % 2 == 0 ? MessageType.Pong : TestMessages.SlowReply, reply.Type);
            Assert.Equal(FrameIo.Pattern((int)(id % 300), (int)id), reply.Payload);
            Assert.True(seen.Add(id));
        }

        Assert.Equal(Count, seen.Count);
    }

    [Fact]
    public async Task Payload_of_exactly_the_limit_is_served_and_one_byte_more_is_refused()
    {
        const int Limit = 64 * 1024;
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.MaxPayloadLength = Limit));
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        Assert.Equal(Limit, client.Limits.MaxPayloadLength);
        using var timeout = FrameIo.Timeout();

        var atLimit = FrameIo.Pattern(Limit, 5);
        Assert.Equal(atLimit, await client.PingAsync(atLimit, timeout.Token));

        var ex = await Assert.ThrowsAsync<WireException>(() => client.PingAsync(FrameIo.Pattern(Limit + 1, 5), timeout.Token));
        Assert.Equal(WireErrorCode.FrameTooLarge, ex.Code);
        await Eventually.AssertAsync(() => server.ActiveConnections == 0, "the connection is closed");
    }

    /// <summary>Writes <paramref name="count"/> Pings with distinct ids in one flush, then reads every Pong and checks order, ids and payloads.</summary>
    private static async Task PipelinePingsAsync(FrameClient client, int clientIndex, int count)
    {
        using var timeout = FrameIo.Timeout();
        var firstId = client.NextCorrelationId();
        for (var i = 0; i < count; i++)
        {
            var id = (uint)(firstId + i);
            FrameEncoder.Write(client.Output, MessageType.Ping, FrameFlags.None, id, PingPayload(clientIndex, id));
        }

        await client.Output.FlushAsync(timeout.Token);

        for (var i = 0; i < count; i++)
        {
            var id = (uint)(firstId + i);
            var pong = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
            Assert.Equal(MessageType.Pong, pong.Type);
            Assert.Equal(id, pong.CorrelationId);
            Assert.True(pong.Header.IsResponse);
            Assert.Equal(PingPayload(clientIndex, id), pong.Payload);
        }
    }

    private static byte[] PingPayload(int clientIndex, uint id) => FrameIo.Pattern((int)(id % 97), (clientIndex * 131) + (int)id);
}
