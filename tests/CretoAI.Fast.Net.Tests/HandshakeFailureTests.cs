using System.Buffers;
using System.Security.Cryptography;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net.Tests.Infrastructure;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Handshake;
using Xunit;

namespace CretoAI.Fast.Net.Tests;

/// <summary>Every way a handshake can fail: the code each side sees, the server's counters, and that the server keeps serving.</summary>
public sealed class HandshakeFailureTests
{
    [Fact]
    public async Task Chain_id_mismatch_is_refused_with_ChainIdMismatch()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;

        var ex = await Assert.ThrowsAsync<WireException>(() =>
            TestServer.ConnectAsync(endpoint, TestServer.ClientOptions(o => o.ChainId = TestKeys.OtherChainId)));

        Assert.Equal(WireErrorCode.ChainIdMismatch, ex.Code);
        await AssertCountedAsync(server, WireErrorCode.ChainIdMismatch);
        await TestServer.AssertServesAsync(endpoint);
    }

    [Fact]
    public async Task Client_refuses_a_server_whose_identity_is_not_the_expected_one()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;

        var ex = await Assert.ThrowsAsync<WireException>(() =>
            TestServer.ConnectAsync(endpoint, TestServer.ClientOptions(o => o.ExpectedServerId = TestKeys.OtherClient.NodeId)));

        Assert.Equal(WireErrorCode.PeerNotAuthorized, ex.Code);

        // The client tells the server why it leaves; the server counts the failed handshake.
        await AssertCountedAsync(server, WireErrorCode.PeerNotAuthorized);
        await TestServer.AssertServesAsync(endpoint);
    }

    [Fact]
    public async Task Client_accepts_the_server_it_expects()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;

        await using var client = await TestServer.ConnectAsync(endpoint, TestServer.ClientOptions(o => o.ExpectedServerId = TestKeys.Server.NodeId));

        Assert.Equal(TestKeys.Server.NodeId, client.Server.Id);
        Assert.Equal(0, server.Counters.HandshakesFailed);
    }

    [Fact]
    public async Task Validator_not_in_the_allow_list_is_refused_with_PeerNotAuthorized()
    {
        var authorizer = PeerAuthorizers.ValidatorsFrom([TestKeys.OtherClient.NodeId]);
        var (server, endpoint) = TestServer.Start(authorizer: authorizer);
        await using var _ = server;

        var ex = await Assert.ThrowsAsync<WireException>(() =>
            TestServer.ConnectAsync(endpoint, TestServer.ClientOptions(o => o.Role = PeerRole.Validator)));

        Assert.Equal(WireErrorCode.PeerNotAuthorized, ex.Code);
        await AssertCountedAsync(server, WireErrorCode.PeerNotAuthorized);

        // The same key as a client is admitted: the allow list only restricts validators.
        await TestServer.AssertServesAsync(endpoint);

        // And a listed validator is admitted as a validator.
        await using var validator = await TestServer.ConnectAsync(endpoint, TestServer.ClientOptions(o => o.Role = PeerRole.Validator), TestKeys.OtherClient);
        using var timeout = FrameIo.Timeout();
        Assert.Equal([9], await validator.PingAsync(new byte[] { 9 }, timeout.Token));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    [InlineData(MLDsa87Sizes.PublicKey - 1)]
    [InlineData(MLDsa87Sizes.PublicKey + 1)]
    public async Task Hello_with_a_public_key_of_the_wrong_length_is_refused_with_BadPublicKey(int keyLength)
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var raw = await RawConnection.ConnectAsync(endpoint);

        await raw.SendHelloAsync(RawConnection.Hello(publicKey: RandomNumberGenerator.GetBytes(keyLength)));

        Assert.Equal(WireErrorCode.BadPublicKey, await raw.ExpectErrorAsync());
        Assert.True(await raw.EndsAsync());
        await AssertCountedAsync(server, WireErrorCode.BadPublicKey);
        await TestServer.AssertServesAsync(endpoint);
    }

    [Theory]
    [InlineData(MLDsa87Sizes.Signature, WireErrorCode.BadSignature)]
    [InlineData(1, WireErrorCode.BadSignature)]
    [InlineData(MLDsa87Sizes.Signature - 1, WireErrorCode.BadSignature)]
    [InlineData(WireLimits.MaxSignatureBytes, WireErrorCode.BadSignature)]
    [InlineData(WireLimits.MaxSignatureBytes + 1, WireErrorCode.FieldTooLarge)]
    public async Task Authenticate_with_a_garbage_signature_is_refused(int signatureLength, WireErrorCode expected)
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var raw = await RawConnection.ConnectAsync(endpoint);

        var (_, welcome, _) = await raw.OpenAsync();
        Assert.True(welcome.PublicKey.Span.SequenceEqual(TestKeys.Server.PublicKey.Span));

        await raw.SendAuthenticateAsync(new AuthenticateMessage(RandomNumberGenerator.GetBytes(signatureLength)));

        Assert.Equal(expected, await raw.ExpectErrorAsync());
        Assert.True(await raw.EndsAsync());
        await AssertCountedAsync(server, expected);
        await TestServer.AssertServesAsync(endpoint);
    }

    public enum HelloDamage
    {
        RoleTwo,
        LastByteMissing,
        ExtraByteAfterArray,
        Empty,
        NotAnArray,
    }

    [Theory]
    [InlineData(HelloDamage.RoleTwo)]
    [InlineData(HelloDamage.LastByteMissing)]
    [InlineData(HelloDamage.ExtraByteAfterArray)]
    [InlineData(HelloDamage.Empty)]
    [InlineData(HelloDamage.NotAnArray)]
    public async Task Malformed_Hello_is_refused_with_the_codec_error(HelloDamage damage)
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var raw = await RawConnection.ConnectAsync(endpoint);
        var encoded = new ArrayBufferWriter<byte>();
        HandshakeCodec.Write(encoded, RawConnection.Hello());
        var payload = encoded.WrittenSpan.ToArray();
        payload = damage switch
        {
            HelloDamage.RoleTwo => [.. payload[..^1], 0x02], // the role is the last field, a positive fixint
            HelloDamage.LastByteMissing => payload[..^1],
            HelloDamage.ExtraByteAfterArray => [.. payload, 0xC0],
            HelloDamage.Empty => [],
            _ => [0x07],
        };
        var expected = HandshakeCodec.TryRead(new ReadOnlySequence<byte>(payload), out HelloMessage? _);
        Assert.NotEqual(WireErrorCode.None, expected);

        await raw.SendFrameAsync(MessageType.Hello, 0, payload);

        Assert.Equal(expected, await raw.ExpectErrorAsync());
        Assert.True(await raw.EndsAsync());
        await AssertCountedAsync(server, expected);
        await TestServer.AssertServesAsync(endpoint);
    }

    [Fact]
    public async Task Client_that_leaves_mid_handshake_is_counted_as_a_failed_handshake()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using (var raw = await RawConnection.ConnectAsync(endpoint))
        {
            await raw.SendHelloAsync(RawConnection.Hello());
            Assert.Equal(MessageType.Welcome, (await raw.ExpectFrameAsync()).Type);
        }

        await AssertCountedAsync(server, WireErrorCode.HandshakeRequired);
        await Eventually.AssertAsync(() => server.ActiveConnections == 0, "the connection is released");
    }

    [Fact]
    public async Task Authenticate_signed_by_another_key_is_refused_with_BadSignature()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var raw = await RawConnection.ConnectAsync(endpoint);
        var (_, _, transcript) = await raw.OpenAsync();

        // The right transcript, signed with a key other than the one presented in Hello.
        await raw.SendAuthenticateAsync(new AuthenticateMessage(RawConnection.SignAsClient(TestKeys.OtherClient, transcript)));

        Assert.Equal(WireErrorCode.BadSignature, await raw.ExpectErrorAsync());
        await AssertCountedAsync(server, WireErrorCode.BadSignature);
    }

    [Fact]
    public async Task Hand_built_handshake_with_a_valid_signature_is_admitted()
    {
        // The positive control of the raw tests above: the same bytes with a real signature succeed.
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var raw = await RawConnection.ConnectAsync(endpoint);
        var (_, welcome, transcript) = await raw.OpenAsync();
        Assert.True(TestKeys.Verifier.Verify(welcome.PublicKey.Span, transcript, HandshakeTranscript.ServerContext, welcome.Signature.Span));
        var authenticate = new ArrayBufferWriter<byte>();
        HandshakeCodec.Write(authenticate, new AuthenticateMessage(RawConnection.SignAsClient(TestKeys.Client, transcript)));

        // A Ping pipelined right behind Authenticate, in the same write: the handshake must leave it
        // in the pipe for the session.
        await raw.SendAsync(FrameIo.Encode(MessageType.Authenticate, 0, authenticate.WrittenSpan).Concat(FrameIo.Encode(MessageType.Ping, 42, [1, 2, 3])).ToArray());

        var ready = await raw.ExpectFrameAsync();
        Assert.Equal(MessageType.Ready, ready.Type);
        var pong = await raw.ExpectFrameAsync();
        Assert.Equal(MessageType.Pong, pong.Type);
        Assert.Equal(42u, pong.CorrelationId);
        Assert.Equal([1, 2, 3], pong.Payload);
        Assert.Equal(0, server.Counters.HandshakesFailed);
    }

    [Fact]
    public async Task Ping_before_the_handshake_is_refused_with_HandshakeRequired()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var raw = await RawConnection.ConnectAsync(endpoint);

        await raw.SendFrameAsync(MessageType.Ping, 1, [1, 2, 3, 4]);

        Assert.Equal(WireErrorCode.HandshakeRequired, await raw.ExpectErrorAsync());
        Assert.True(await raw.EndsAsync());
        await AssertCountedAsync(server, WireErrorCode.HandshakeRequired);
        await TestServer.AssertServesAsync(endpoint);
    }

    [Fact]
    public async Task Hello_with_protocol_version_2_is_refused_with_ProtocolVersionMismatch()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var raw = await RawConnection.ConnectAsync(endpoint);

        await raw.SendHelloAsync(RawConnection.Hello(version: 2));

        Assert.Equal(WireErrorCode.ProtocolVersionMismatch, await raw.ExpectErrorAsync());
        Assert.True(await raw.EndsAsync());
        await AssertCountedAsync(server, WireErrorCode.ProtocolVersionMismatch);
        await TestServer.AssertServesAsync(endpoint);
    }

    [Fact]
    public async Task Garbage_instead_of_a_Hello_is_refused_with_BadMagic()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var raw = await RawConnection.ConnectAsync(endpoint);

        await raw.SendAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray());

        Assert.Equal(WireErrorCode.BadMagic, await raw.ExpectErrorAsync());
        Assert.True(await raw.EndsAsync());
        await AssertCountedAsync(server, WireErrorCode.BadMagic);
    }

    [Fact]
    public async Task Silent_connection_gets_HandshakeTimeout_and_is_closed()
    {
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.HandshakeTimeout = TimeSpan.FromSeconds(1)));
        await using var _ = server;
        await using var raw = await RawConnection.ConnectAsync(endpoint);

        Assert.Equal(WireErrorCode.HandshakeTimeout, await raw.ExpectErrorAsync());
        Assert.True(await raw.EndsAsync());
        await AssertCountedAsync(server, WireErrorCode.HandshakeTimeout);
        await Eventually.AssertAsync(() => server.ActiveConnections == 0, "the timed-out connection is released");
        await TestServer.AssertServesAsync(endpoint);
    }

    private static async Task AssertCountedAsync(FrameServer server, WireErrorCode code)
    {
        await Eventually.AssertAsync(() => server.Counters.HandshakesFailed == 1, "one failed handshake counted");
        await Eventually.AssertAsync(() => server.Counters.Errors(code) == 1, $"one {code} counted");
    }
}
