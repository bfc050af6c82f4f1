using CretoAI.Fast.Net.Tests.Infrastructure;
using CretoAI.Fast.Wire;
using Xunit;

namespace CretoAI.Fast.Net.Tests;

/// <summary>The connection limit and the idle timeout.</summary>
public sealed class LimitTests
{
    [Fact]
    public async Task Connection_over_the_limit_gets_TooManyConnections()
    {
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.MaxConnections = 2));
        await using var _ = server;
        await using var first = await TestServer.ConnectAsync(endpoint);
        await using var second = await TestServer.ConnectAsync(endpoint);
        await Eventually.AssertAsync(() => server.ActiveConnections == 2, "two sessions open");

        await using (var third = await RawConnection.ConnectAsync(endpoint))
        {
            var error = await third.ExpectFrameAsync();
            Assert.Equal(WireErrorCode.TooManyConnections, error.ErrorCode);
            Assert.True(await third.EndsAsync());
        }

        Assert.Equal(1, server.Counters.ConnectionsRejected);
        Assert.Equal(1, server.Counters.Errors(WireErrorCode.TooManyConnections));
        Assert.Equal(2, server.Counters.ConnectionsAccepted);

        // The admitted sessions are untouched.
        using var timeout = FrameIo.Timeout();
        Assert.Equal([1], await first.PingAsync(new byte[] { 1 }, timeout.Token));
        Assert.Equal([2], await second.PingAsync(new byte[] { 2 }, timeout.Token));

        // Once one leaves, a newcomer fits again.
        await first.DisposeAsync();
        await Eventually.AssertAsync(() => server.ActiveConnections == 1, "the first session is released");
        await TestServer.AssertServesAsync(endpoint);
        Assert.Equal(1, server.Counters.ConnectionsRejected);
    }

    [Fact]
    public async Task FrameClient_refused_for_the_connection_limit_sees_TooManyConnections()
    {
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.MaxConnections = 1));
        await using var _ = server;
        await using var first = await TestServer.ConnectAsync(endpoint);

        for (var i = 1; i <= 20; i++)
        {
            var ex = await Assert.ThrowsAsync<WireException>(() => TestServer.ConnectAsync(endpoint));
            Assert.Equal(WireErrorCode.TooManyConnections, ex.Code);
            Assert.Equal(i, server.Counters.ConnectionsRejected);
        }

        using var timeout = FrameIo.Timeout();
        Assert.Equal([1], await first.PingAsync(new byte[] { 1 }, timeout.Token));
    }

    [Fact]
    public async Task Authenticated_client_that_stays_silent_gets_IdleTimeout_and_is_closed()
    {
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.IdleTimeout = TimeSpan.FromSeconds(1)));
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        Assert.Equal(1000, client.Limits.IdleTimeoutMilliseconds);
        using var timeout = FrameIo.Timeout();

        var error = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);

        Assert.Equal(WireErrorCode.IdleTimeout, error.ErrorCode);
        Assert.True(await FrameIo.EndsAsync(client.Input, client.Decoder, timeout.Token));
        await Eventually.AssertAsync(() => server.ActiveConnections == 0, "the idle session is released");
        Assert.Equal(1, server.Counters.Errors(WireErrorCode.IdleTimeout));
        Assert.Equal(0, server.Counters.HandshakesFailed);
    }

    [Fact]
    public async Task Idle_timeout_does_not_apply_during_the_handshake()
    {
        // A silent unauthenticated connection is governed by the handshake timeout, not the idle one.
        var (server, endpoint) = TestServer.Start(TestServer.Options(o =>
        {
            o.IdleTimeout = TimeSpan.FromMilliseconds(300);
            o.HandshakeTimeout = TimeSpan.FromSeconds(2);
        }));
        await using var _ = server;
        await using var raw = await RawConnection.ConnectAsync(endpoint);

        Assert.Equal(WireErrorCode.HandshakeTimeout, await raw.ExpectErrorAsync());
        Assert.Equal(0, server.Counters.Errors(WireErrorCode.IdleTimeout));
    }
}
