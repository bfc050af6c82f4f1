using System.Net.Sockets;
using CretoAI.Fast.Net.Tests.Infrastructure;
using CretoAI.Fast.Wire;
using Xunit;

namespace CretoAI.Fast.Net.Tests;

/// <summary>Graceful stop: deferred work finishes, every session is told ShuttingDown, nothing new is accepted.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stop_delivers_a_deferred_reply_completed_during_shutdown_before_ShuttingDown()
    {
        var handler = new DeferringHandler();
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30)), handler);
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        await TestServer.SendFrameAsync(client, TestMessages.Slow, 41, new byte[] { 4, 1 });
        await Eventually.AssertAsync(() => handler.Deferred.Count == 1, "the request is deferred");

        var stop = server.StopAsync();

        // The session waits for its deferred reply (for up to 30 s), so the stop cannot be over yet.
        Assert.False(stop.IsCompleted);
        Assert.True(handler.Deferred.TryDequeue(out var pending));
        using var timeout = FrameIo.Timeout();
        Assert.True(await Task.Run(async () => await pending.Context.CompleteAsync(pending.Reply, TestMessages.SlowReply, pending.Payload, timeout.Token)));

        var reply = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(TestMessages.SlowReply, reply.Type);
        Assert.Equal(41u, reply.CorrelationId);
        Assert.Equal([4, 1], reply.Payload);
        var goodbye = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(WireErrorCode.ShuttingDown, goodbye.ErrorCode);
        Assert.True(await FrameIo.EndsAsync(client.Input, client.Decoder, timeout.Token));

        await stop.WaitAsync(timeout.Token);
        Assert.Equal(0, server.ActiveConnections);
        Assert.Equal(1, server.Counters.Errors(WireErrorCode.ShuttingDown));
        await Assert.ThrowsAnyAsync<SocketException>(() => RawConnection.ConnectAsync(endpoint));
    }

    [Fact]
    public async Task Stop_tells_idle_sessions_ShuttingDown_and_refuses_new_connections()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var first = await TestServer.ConnectAsync(endpoint);
        await using var second = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();
        Assert.Equal([1], await first.PingAsync(new byte[] { 1 }, timeout.Token));

        await server.StopAsync(timeout.Token);

        foreach (var client in new[] { first, second })
        {
            var goodbye = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
            Assert.Equal(WireErrorCode.ShuttingDown, goodbye.ErrorCode);
            Assert.True(await FrameIo.EndsAsync(client.Input, client.Decoder, timeout.Token));
        }

        Assert.Equal(0, server.ActiveConnections);
        await Assert.ThrowsAnyAsync<SocketException>(() => RawConnection.ConnectAsync(endpoint));
        await Assert.ThrowsAnyAsync<SocketException>(() => TestServer.ConnectAsync(endpoint));

        // Stopping twice is harmless.
        await server.StopAsync(timeout.Token);
    }

    [Fact]
    public async Task Stop_during_a_handshake_answers_ShuttingDown()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var raw = await RawConnection.ConnectAsync(endpoint);
        await Eventually.AssertAsync(() => server.ActiveConnections == 1, "the connection is accepted");

        using var timeout = FrameIo.Timeout();
        await server.StopAsync(timeout.Token);

        Assert.Equal(WireErrorCode.ShuttingDown, await raw.ExpectErrorAsync());
        Assert.True(await raw.EndsAsync());
        Assert.Equal(1, server.Counters.HandshakesFailed);
    }

    [Fact]
    public async Task Stop_does_not_wait_forever_for_a_deferred_reply_that_never_comes()
    {
        var handler = new DeferringHandler();
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)), handler);
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        await TestServer.SendFrameAsync(client, TestMessages.Slow, 9, new byte[] { 9 });
        await Eventually.AssertAsync(() => handler.Deferred.Count == 1, "the request is deferred");
        using var timeout = FrameIo.Timeout();

        await server.StopAsync(timeout.Token);

        var goodbye = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(WireErrorCode.ShuttingDown, goodbye.ErrorCode);
        Assert.True(await FrameIo.EndsAsync(client.Input, client.Decoder, timeout.Token));
        Assert.Equal(0, server.ActiveConnections);

        // Too late: the application learns the connection is gone.
        Assert.True(handler.Deferred.TryDequeue(out var pending));
        Assert.False(await pending.Context.CompleteAsync(pending.Reply, TestMessages.SlowReply, pending.Payload, timeout.Token));
    }

    [Fact]
    public async Task Start_twice_is_refused()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        Assert.Throws<InvalidOperationException>(() => server.Start(endpoint));
    }

    [Fact]
    public async Task Start_on_a_port_in_use_says_which_endpoint()
    {
        using var blocker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        blocker.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        blocker.Listen();
        var busy = (System.Net.IPEndPoint)blocker.LocalEndPoint!;
        await using var server = new FrameServer(TestServer.Options(), TestKeys.Server, TestKeys.Verifier);

        var ex = Assert.Throws<InvalidOperationException>(() => server.Start(busy));
        Assert.Contains(busy.ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_server_cannot_share_a_port_another_server_listens_on()
    {
        // Regression: the listener once set .NET's ReuseAddress, which on Linux also sets
        // SO_REUSEPORT and let a second node bind the same port and take half its connections.
        var (first, endpoint) = TestServer.Start();
        await using var _ = first;
        await using var second = new FrameServer(TestServer.Options(), TestKeys.Server, TestKeys.Verifier);

        Assert.Throws<InvalidOperationException>(() => second.Start(endpoint));
        await TestServer.AssertServesAsync(endpoint);
    }

    [Fact]
    public async Task A_port_is_reusable_right_after_its_server_stopped_with_connections_open()
    {
        var (first, endpoint) = TestServer.Start();
        var client = await TestServer.ConnectAsync(endpoint);
        await first.StopAsync();
        await client.DisposeAsync();

        await using var again = new FrameServer(TestServer.Options(), TestKeys.Server, TestKeys.Verifier);
        Assert.Equal(endpoint.Port, again.Start(endpoint).Port);
        await TestServer.AssertServesAsync(endpoint);
    }
}
