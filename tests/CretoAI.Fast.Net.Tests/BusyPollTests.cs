using CretoAI.Fast.Core;
using CretoAI.Fast.Net.Tests.Infrastructure;
using Xunit;

namespace CretoAI.Fast.Net.Tests;

/// <summary>
/// A server whose receive loops busy-poll (the largest allowed window) serves exactly as one that
/// does not: request/reply in lock step (the case that polls), pipelined batches, a second
/// connection, and a peer that goes away.
/// </summary>
public sealed class BusyPollTests
{
    [Fact]
    public async Task A_polling_server_answers_lock_step_and_pipelined_pings_and_notices_a_closed_peer()
    {
        var (server, endpoint) = TestServer.Start(TestServer.Options(o =>
        {
            o.NativeEventLoop = true;
            o.BusyPollMicroseconds = TransportOptions.MaxBusyPollMicroseconds;
        }));
        await using var _ = server;
        using var timeout = FrameIo.Timeout();

        var client = await TestServer.ConnectAsync(endpoint);
        for (var i = 0; i < 200; i++)
        {
            var payload = FrameIo.Pattern(32 + (i % 7), i);
            Assert.Equal(payload, await client.PingAsync(payload, timeout.Token));
        }

        var writer = FrameIo.WritePingsAsync(client.Output, 300, flushEvery: 16, timeout.Token);
        await FrameIo.ExpectPongsAsync(client.Input, client.Decoder, 300, checkEvery: 1, timeout.Token);
        await writer;

        // Another connection, maybe on the same loop, while the first one is idle.
        await TestServer.AssertServesAsync(endpoint);

        await client.DisposeAsync();
        await Eventually.AssertAsync(() => server.ActiveConnections == 0, "the server dropped the closed connections");
        await TestServer.AssertServesAsync(endpoint);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(TransportOptions.MaxBusyPollMicroseconds + 1)]
    public void BusyPollMicroseconds_out_of_range_is_refused(int value)
    {
        var options = TestServer.Options(o => o.BusyPollMicroseconds = value);
        var ex = Assert.Throws<InvalidSettingException>(options.Validate);
        Assert.Equal(nameof(TransportOptions.BusyPollMicroseconds), ex.Setting);
        Assert.Contains("microseconds", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(TransportOptions.MaxBusyPollMicroseconds)]
    public void BusyPollMicroseconds_at_the_bounds_is_accepted(int value)
    {
        TestServer.Options(o => o.BusyPollMicroseconds = value).Validate();
    }
}
