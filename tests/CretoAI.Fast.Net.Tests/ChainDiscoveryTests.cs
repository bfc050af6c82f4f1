using CretoAI.Fast.Core;
using CretoAI.Fast.Net.Tests.Infrastructure;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Handshake;
using Xunit;

namespace CretoAI.Fast.Net.Tests;

/// <summary>A client may send the all-zero chain id and learn the server's chain from its signed Welcome; a validator may not.</summary>
public sealed class ChainDiscoveryTests
{
    [Fact]
    public async Task A_client_without_a_chain_id_learns_the_servers_chain()
    {
        var handler = new WhoAmIHandler();
        var (server, endpoint) = TestServer.Start(handler: handler);
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint, TestServer.ClientOptions(o => o.ChainId = Hash32.Zero));

        Assert.Equal(TestKeys.ChainId, client.ChainId);
        using var timeout = FrameIo.Timeout();
        Assert.Equal([1], await client.PingAsync(new byte[] { 1 }, timeout.Token));
        Assert.Equal(0, server.Counters.HandshakesFailed);
    }

    [Fact]
    public async Task A_client_naming_its_chain_still_gets_it_checked()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        Assert.Equal(TestKeys.ChainId, client.ChainId);
        var ex = await Assert.ThrowsAsync<WireException>(() => TestServer.ConnectAsync(endpoint, TestServer.ClientOptions(o => o.ChainId = TestKeys.OtherChainId)));
        Assert.Equal(WireErrorCode.ChainIdMismatch, ex.Code);
    }

    [Fact]
    public async Task The_transcript_of_a_discovering_client_names_the_servers_chain()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var raw = await RawConnection.ConnectAsync(endpoint);

        // A transcript built with the zero chain id (what the Hello said) must not be what the
        // server signed: it signs its own chain, so a signature cannot be moved to another chain.
        var (hello, welcome, zeroTranscript) = await raw.OpenAsync(RawConnection.Hello(chainId: new byte[Hash32.Size]));
        Assert.Equal(TestKeys.ChainId.ToArray(), welcome.ChainId.ToArray());
        Assert.False(TestKeys.Verifier.Verify(welcome.PublicKey.Span, zeroTranscript, HandshakeTranscript.ServerContext, welcome.Signature.Span));

        var transcript = new byte[HandshakeTranscript.Length];
        HandshakeTranscript.Write(transcript, FrameHeader.CurrentVersion, hello.Role, TestKeys.ChainId.ToArray(), hello.Nonce.Span, welcome.Nonce.Span, TestKeys.Client.NodeId.ToArray(), TestKeys.Server.NodeId.ToArray());
        Assert.True(TestKeys.Verifier.Verify(welcome.PublicKey.Span, transcript, HandshakeTranscript.ServerContext, welcome.Signature.Span));

        // And the client's signature must be over that same transcript to be admitted.
        await raw.SendAuthenticateAsync(new AuthenticateMessage(RawConnection.SignAsClient(TestKeys.Client, transcript)));
        Assert.Equal(MessageType.Ready, (await raw.ExpectFrameAsync()).Type);
    }

    [Fact]
    public async Task A_validator_hello_with_the_zero_chain_id_is_refused()
    {
        var (server, endpoint) = TestServer.Start(authorizer: PeerAuthorizers.ValidatorsFrom([TestKeys.Client.NodeId]));
        await using var _ = server;
        await using var raw = await RawConnection.ConnectAsync(endpoint);

        await raw.SendHelloAsync(RawConnection.Hello(chainId: new byte[Hash32.Size], role: PeerRole.Validator));

        Assert.Equal(WireErrorCode.ChainIdMismatch, await raw.ExpectErrorAsync());
        Assert.True(await raw.EndsAsync());
    }

    [Fact]
    public async Task A_validator_client_must_name_its_chain()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.ConnectAsync(endpoint, TestServer.ClientOptions(o =>
        {
            o.ChainId = Hash32.Zero;
            o.Role = PeerRole.Validator;
        })));
    }
}
