using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net.Tests.Infrastructure;
using CretoAI.Fast.Wire.Handshake;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Net.Tests;

public sealed class HandshakeTests
{
    [Fact]
    public async Task Client_and_server_learn_each_others_identity_and_the_server_limits()
    {
        var options = TestServer.Options(o =>
        {
            o.MaxPayloadLength = 2 * 1024 * 1024;
            o.MaxInFlightPerConnection = 77;
            o.IdleTimeout = TimeSpan.FromSeconds(93);
        });
        var handler = new WhoAmIHandler();
        var (server, endpoint) = TestServer.Start(options, handler);
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);

        Assert.Equal(TestKeys.Server.NodeId, client.Server.Id);
        Assert.Equal(Sha3.Hash256(TestKeys.Server.PublicKey.Span), client.Server.Id);
        Assert.True(client.Server.PublicKey.Span.SequenceEqual(TestKeys.Server.PublicKey.Span));
        Assert.Equal(new ReadyMessage(2 * 1024 * 1024, 77, 93_000), client.Limits);

        var peer = await WhoAmIAsync(client, handler);
        Assert.Equal(Sha3.Hash256(TestKeys.Client.PublicKey.Span), peer.Id);
        Assert.Equal(TestKeys.Client.NodeId, peer.Id);
        Assert.Equal(PeerRole.Client, peer.Role);
        Assert.True(peer.PublicKey.Span.SequenceEqual(TestKeys.Client.PublicKey.Span));
        Assert.Equal(1, server.ActiveConnections);
        Assert.Equal(0, server.Counters.HandshakesFailed);
        Assert.Equal(1, server.Counters.ConnectionsAccepted);
    }

    [Fact]
    public async Task Validator_in_the_allow_list_is_admitted_with_its_role()
    {
        var handler = new WhoAmIHandler();
        var (server, endpoint) = TestServer.Start(handler: handler, authorizer: PeerAuthorizers.ValidatorsFrom([TestKeys.Client.NodeId]));
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint, TestServer.ClientOptions(o =>
        {
            o.Role = PeerRole.Validator;
            o.ExpectedServerId = TestKeys.Server.NodeId;
        }));

        var peer = await WhoAmIAsync(client, handler);
        Assert.Equal(PeerRole.Validator, peer.Role);
        Assert.Equal(TestKeys.Client.NodeId, peer.Id);
        using var timeout = FrameIo.Timeout();
        Assert.Equal([1, 2, 3], await client.PingAsync(new byte[] { 1, 2, 3 }, timeout.Token));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(256)]
    [InlineData(4096)]
    [InlineData(100_000)]
    public async Task Ping_echoes_its_payload_byte_for_byte(int length)
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        var payload = FrameIo.Pattern(length, length);
        using var timeout = FrameIo.Timeout();

        var first = await client.PingAsync(payload, timeout.Token);
        var second = await client.PingAsync(payload, timeout.Token);

        Assert.Equal(payload, first);
        Assert.Equal(payload, second);
        await Eventually.AssertAsync(() => server.Counters.FramesReceived == 2 && server.Counters.FramesSent == 2, "two pings counted");
    }

    [Fact]
    public async Task Ping_payloads_of_any_length_and_content_round_trip()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);

        await Gen.Byte.Array[0, 70_000].SampleAsync(
            async payload =>
            {
                using var timeout = FrameIo.Timeout();
                var echoed = await client.PingAsync(payload, timeout.Token);
                Assert.Equal(payload, echoed);
            },
            iter: 40,
            threads: 1);
    }

    /// <summary>Asks the server who we are: the id comes back on the wire, the full peer record from the handler.</summary>
    private static async Task<PeerInfo> WhoAmIAsync(FrameClient client, WhoAmIHandler handler)
    {
        using var timeout = FrameIo.Timeout();
        var id = client.NextCorrelationId();
        await TestServer.SendFrameAsync(client, TestMessages.WhoAmI, id, ReadOnlyMemory<byte>.Empty);
        var reply = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(TestMessages.WhoAmI, reply.Type);
        Assert.Equal(id, reply.CorrelationId);
        Assert.True(reply.Header.IsResponse);
        var peer = handler.LastPeer;
        Assert.NotNull(peer);
        Assert.Equal(peer.Id.ToArray(), reply.Payload);
        return peer;
    }
}
