using CretoAI.Fast.Net.Tests.Infrastructure;
using CretoAI.Fast.Wire;
using Xunit;

namespace CretoAI.Fast.Net.Tests;

/// <summary>Well-formed frames the server does not serve are answered, and the session goes on.</summary>
public sealed class SessionTests
{
    [Theory]
    [InlineData(0x7777, false)]
    [InlineData(0x7777, true)]
    [InlineData(0x0000, false)]
    [InlineData(0x0101, true)]
    public async Task Unknown_message_type_is_answered_with_UnknownMessageType_and_the_session_stays_open(int type, bool withHandler)
    {
        var (server, endpoint) = TestServer.Start(handler: withHandler ? new DeferringHandler() : null);
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();

        await TestServer.SendFrameAsync(client, (MessageType)type, 0xABCDEF01, new byte[] { 1, 2, 3 });

        var error = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(WireErrorCode.UnknownMessageType, error.ErrorCode);
        Assert.Equal(0xABCDEF01u, error.CorrelationId);
        Assert.True(error.Header.IsResponse);
        Assert.False(WireErrorCodes.ClosesConnection(error.ErrorCode));
        Assert.Equal([5, 6], await client.PingAsync(new byte[] { 5, 6 }, timeout.Token));
        Assert.Equal(1, server.Counters.Errors(WireErrorCode.UnknownMessageType));
        Assert.Equal(1, server.ActiveConnections);
    }

    [Fact]
    public async Task Pong_and_Error_frames_from_the_client_are_accepted_silently()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();

        FrameEncoder.Write(client.Output, MessageType.Pong, FrameFlags.Response, 3, [1]);
        FrameEncoder.WriteError(client.Output, 4, WireErrorCode.InternalError, "client-side trouble");
        FrameEncoder.Write(client.Output, MessageType.Error, FrameFlags.Response, 5, [0xFF]); // malformed error payload
        await client.Output.FlushAsync(timeout.Token);

        // No answer to any of them: the next frame is the Pong of this Ping.
        Assert.Equal([8], await client.PingAsync(new byte[] { 8 }, timeout.Token));
        await Eventually.AssertAsync(() => server.Counters.FramesReceived == 4, "all four frames counted");
    }
}
