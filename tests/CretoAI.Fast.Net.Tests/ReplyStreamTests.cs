using CretoAI.Fast.Net.Tests.Infrastructure;
using CretoAI.Fast.Wire;
using Xunit;

namespace CretoAI.Fast.Net.Tests;

/// <summary>Server-side reply streams: many frames for one request, pushed from other threads, ended by either side.</summary>
public sealed class ReplyStreamTests
{
    [Fact]
    public async Task Frames_pushed_from_another_thread_reach_the_client_in_order_with_the_request_correlation_id()
    {
        var handler = new StreamingHandler();
        var (server, endpoint) = TestServer.Start(handler: handler);
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();

        await TestServer.SendFrameAsync(client, MessageType.Subscribe, 77, new byte[8]);
        await Eventually.AssertAsync(() => handler.Opened.Count == 1, "the stream is opened");
        Assert.True(handler.Opened.TryPeek(out var stream));
        Assert.Equal(77u, stream.CorrelationId);
        Assert.Equal(TestKeys.Client.NodeId, stream.Peer.Id);

        const int Count = 200;
        var pushing = Task.Run(async () =>
        {
            for (var i = 0; i < Count; i++)
            {
                Assert.True(await stream.PushAsync(MessageType.CommitNotice, FrameIo.Pattern(100, i), timeout.Token));
            }
        });

        for (var i = 0; i < Count; i++)
        {
            var frame = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
            Assert.Equal(MessageType.CommitNotice, frame.Type);
            Assert.Equal(77u, frame.CorrelationId);
            Assert.True(frame.Header.IsResponse);
            Assert.Equal(FrameIo.Pattern(100, i), frame.Payload);
        }

        await pushing.WaitAsync(timeout.Token);
        Assert.Equal(Count, stream.Pushed);

        // Pings keep working on the same connection while the stream is open.
        Assert.Equal([5], await client.PingAsync(new byte[] { 5 }, timeout.Token));
        Assert.False(stream.IsClosed);
    }

    [Fact]
    public async Task A_client_error_frame_with_the_stream_id_ends_that_stream_only()
    {
        var handler = new StreamingHandler();
        var (server, endpoint) = TestServer.Start(handler: handler);
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();

        await TestServer.SendFrameAsync(client, MessageType.Subscribe, 1, new byte[8]);
        await TestServer.SendFrameAsync(client, MessageType.Subscribe, 2, new byte[8]);
        await Eventually.AssertAsync(() => handler.Opened.Count == 2, "two streams are opened");
        var streams = handler.Opened.ToArray();
        var first = streams.Single(s => s.CorrelationId == 1);
        var second = streams.Single(s => s.CorrelationId == 2);

        FrameEncoder.WriteError(client.Output, 1, WireErrorCode.Cancelled, "done");
        await client.Output.FlushAsync(timeout.Token);

        await Eventually.AssertAsync(() => first.IsClosed, "the cancelled stream ends");
        Assert.True(first.Closed.IsCancellationRequested);
        Assert.False(await first.PushAsync(MessageType.CommitNotice, new byte[] { 1 }, timeout.Token));
        Assert.False(second.IsClosed);
        Assert.True(await second.PushAsync(MessageType.CommitNotice, new byte[] { 2 }, timeout.Token));
        var frame = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(2u, frame.CorrelationId);
    }

    [Fact]
    public async Task EndAsync_sends_an_error_with_the_stream_id_and_keeps_the_connection()
    {
        var handler = new StreamingHandler();
        var (server, endpoint) = TestServer.Start(handler: handler);
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();

        await TestServer.SendFrameAsync(client, MessageType.Subscribe, 9, new byte[8]);
        await Eventually.AssertAsync(() => handler.Opened.Count == 1, "the stream is opened");
        Assert.True(handler.Opened.TryPeek(out var stream));

        Assert.True(await stream.EndAsync(WireErrorCode.SlowConsumer, "you fell behind", timeout.Token));
        var error = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(WireErrorCode.SlowConsumer, error.ErrorCode);
        Assert.Equal(9u, error.CorrelationId);
        Assert.True(stream.IsClosed);
        Assert.False(await stream.EndAsync(WireErrorCode.SlowConsumer, "again", timeout.Token));
        Assert.False(await stream.PushAsync(MessageType.CommitNotice, new byte[] { 1 }, timeout.Token));
        Assert.Equal(1, server.Counters.Errors(WireErrorCode.SlowConsumer));
        Assert.Equal([1], await client.PingAsync(new byte[] { 1 }, timeout.Token));
    }

    [Fact]
    public async Task Streams_end_when_the_client_disconnects()
    {
        var handler = new StreamingHandler();
        var (server, endpoint) = TestServer.Start(handler: handler);
        await using var _ = server;
        var client = await TestServer.ConnectAsync(endpoint);
        await TestServer.SendFrameAsync(client, MessageType.Subscribe, 3, new byte[8]);
        await Eventually.AssertAsync(() => handler.Opened.Count == 1, "the stream is opened");
        Assert.True(handler.Opened.TryPeek(out var stream));

        await client.DisposeAsync();

        await Eventually.AssertAsync(() => stream.IsClosed, "the stream ends with its connection");
        using var timeout = FrameIo.Timeout();
        Assert.False(await stream.PushAsync(MessageType.CommitNotice, new byte[] { 1 }, timeout.Token));
    }

    [Fact]
    public async Task Streams_end_when_the_server_stops()
    {
        var handler = new StreamingHandler();
        var (server, endpoint) = TestServer.Start(handler: handler);
        await using var client = await TestServer.ConnectAsync(endpoint);
        await TestServer.SendFrameAsync(client, MessageType.Subscribe, 3, new byte[8]);
        await Eventually.AssertAsync(() => handler.Opened.Count == 1, "the stream is opened");
        Assert.True(handler.Opened.TryPeek(out var stream));

        await server.DisposeAsync();

        Assert.True(stream.IsClosed);
        using var timeout = FrameIo.Timeout();
        var goodbye = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(WireErrorCode.ShuttingDown, goodbye.ErrorCode);
    }

    [Fact]
    public async Task Streams_over_the_per_connection_limit_and_duplicate_ids_are_refused_without_closing()
    {
        var handler = new StreamingHandler();
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.MaxStreamsPerConnection = 2), handler);
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();

        await TestServer.SendFrameAsync(client, MessageType.Subscribe, 1, new byte[8]);
        await TestServer.SendFrameAsync(client, MessageType.Subscribe, 1, new byte[8]);
        var duplicate = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(WireErrorCode.MalformedPayload, duplicate.ErrorCode);
        Assert.Equal(1u, duplicate.CorrelationId);

        await TestServer.SendFrameAsync(client, MessageType.Subscribe, 2, new byte[8]);
        await TestServer.SendFrameAsync(client, MessageType.Subscribe, 3, new byte[8]);
        var refused = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(WireErrorCode.TooManyInFlight, refused.ErrorCode);
        Assert.Equal(3u, refused.CorrelationId);
        Assert.Equal(2, handler.Opened.Count);
        Assert.Equal(2, handler.Refused);

        // Ending one frees its place.
        Assert.True(handler.Opened.TryPeek(out var first));
        Assert.True(first.Close());
        await TestServer.SendFrameAsync(client, MessageType.Subscribe, 4, new byte[8]);
        await Eventually.AssertAsync(() => handler.Opened.Count == 3, "a third stream opens once one has ended");
    }

    [Fact]
    public async Task A_slow_reader_holds_back_only_its_own_push_loop()
    {
        var handler = new StreamingHandler();
        var (server, endpoint) = TestServer.Start(handler: handler);
        await using var _ = server;
        await using var stalled = await TestServer.ConnectAsync(endpoint);
        await TestServer.SendFrameAsync(stalled, MessageType.Subscribe, 1, new byte[8]);
        await Eventually.AssertAsync(() => handler.Opened.Count == 1, "the stream is opened");
        Assert.True(handler.Opened.TryPeek(out var stream));

        // The client never reads: once its socket buffers and the output pipe are full, a push waits
        // for the flush, and a push with a deadline gives up instead of queueing more.
        var payload = new byte[64 * 1024];
        var gaveUp = false;
        for (var i = 0; i < 10_000 && !gaveUp; i++)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                Assert.True(await stream.PushAsync(MessageType.CommitNotice, payload, deadline.Token));
            }
            catch (OperationCanceledException)
            {
                gaveUp = true;
            }
        }

        Assert.True(gaveUp, "pushes to a reader that never reads must stall, not buffer 640 MB");

        // Other connections are served meanwhile.
        await TestServer.AssertServesAsync(endpoint);
    }

    [Fact]
    public async Task A_connection_with_an_open_stream_is_not_idle()
    {
        var handler = new StreamingHandler();
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.IdleTimeout = TimeSpan.FromMilliseconds(300)), handler);
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();
        await TestServer.SendFrameAsync(client, MessageType.Subscribe, 1, new byte[8]);
        await Eventually.AssertAsync(() => handler.Opened.Count == 1, "the stream is opened");
        Assert.True(handler.Opened.TryPeek(out var stream));

        // Several idle periods pass with nothing received from the client: the stream keeps it open.
        await Task.Delay(TimeSpan.FromMilliseconds(1500), timeout.Token);
        Assert.True(await stream.PushAsync(MessageType.CommitNotice, new byte[] { 1 }, timeout.Token));
        Assert.Equal(MessageType.CommitNotice, (await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token)).Type);
        Assert.Equal(0, server.Counters.Errors(WireErrorCode.IdleTimeout));

        // Without it, the idle timeout applies again.
        stream.Close();
        var goodbye = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(WireErrorCode.IdleTimeout, goodbye.ErrorCode);
    }
}
