using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net.Tests.Infrastructure;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Handshake;
using Xunit;

namespace CretoAI.Fast.Net.Tests;

/// <summary>The client's own checks of the server, against a hand-written fake server.</summary>
public sealed class ClientHandshakeTests
{
    public enum Lie
    {
        WrongChain,
        NewerProtocol,
        ShortKey,
        GarbageSignature,
        SignatureOverAnotherNonce,
        PingInsteadOfWelcome,
    }

    [Theory]
    [InlineData(Lie.WrongChain, WireErrorCode.ChainIdMismatch)]
    [InlineData(Lie.NewerProtocol, WireErrorCode.ProtocolVersionMismatch)]
    [InlineData(Lie.ShortKey, WireErrorCode.BadPublicKey)]
    [InlineData(Lie.GarbageSignature, WireErrorCode.BadSignature)]
    [InlineData(Lie.SignatureOverAnotherNonce, WireErrorCode.BadSignature)]
    [InlineData(Lie.PingInsteadOfWelcome, WireErrorCode.UnexpectedMessage)]
    public async Task Client_refuses_a_server_that_fails_its_checks_and_says_why(Lie lie, WireErrorCode expected)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;

        var fake = Task.Run(async () =>
        {
            using var timeout = FrameIo.Timeout();
            using var socket = await listener.AcceptAsync(timeout.Token);
            await using var stream = new NetworkStream(socket);
            var input = PipeReader.Create(stream);
            var decoder = new FrameDecoder(WireLimits.MaxHandshakePayloadLength);
            var helloFrame = await FrameIo.ExpectFrameAsync(input, decoder, timeout.Token);
            Assert.Equal(MessageType.Hello, helloFrame.Type);
            Assert.Equal(WireErrorCode.None, HandshakeCodec.TryRead(new ReadOnlySequence<byte>(helloFrame.Payload), out HelloMessage? hello));

            await stream.WriteAsync(Welcome(lie, hello!), timeout.Token);

            // The client answers a lie with an Error frame naming it, then closes.
            var answer = await FrameIo.ExpectFrameAsync(input, decoder, timeout.Token);
            var code = answer.ErrorCode;
            Assert.True(await FrameIo.EndsAsync(input, decoder, timeout.Token));
            return code;
        });

        var ex = await Assert.ThrowsAsync<WireException>(() => TestServer.ConnectAsync(endpoint));

        Assert.Equal(expected, ex.Code);
        Assert.Equal(expected, await fake);
    }

    [Fact]
    public async Task Server_that_never_answers_makes_the_connect_time_out()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;

        await Assert.ThrowsAsync<TimeoutException>(() =>
            TestServer.ConnectAsync(endpoint, TestServer.ClientOptions(o => o.ConnectTimeout = TimeSpan.FromSeconds(1))));
    }

    [Fact]
    public async Task Connecting_to_a_closed_port_throws_SocketException()
    {
        IPEndPoint endpoint;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            endpoint = (IPEndPoint)probe.LocalEndPoint!;
        }

        await Assert.ThrowsAnyAsync<SocketException>(() => TestServer.ConnectAsync(endpoint));
    }

    private static byte[] Welcome(Lie lie, HelloMessage hello)
    {
        if (lie == Lie.PingInsteadOfWelcome)
        {
            return FrameIo.Encode(MessageType.Ping, 0, [1]);
        }

        var signer = TestKeys.Server;
        var nonce = RandomNumberGenerator.GetBytes(WireLimits.NonceBytes);
        var transcript = new byte[HandshakeTranscript.Length];
        var signedNonce = lie == Lie.SignatureOverAnotherNonce ? RandomNumberGenerator.GetBytes(WireLimits.NonceBytes) : nonce;
        HandshakeTranscript.Write(transcript, FrameHeader.CurrentVersion, hello.Role, hello.ChainId.Span, hello.Nonce.Span, signedNonce, Sha3.Hash256(hello.PublicKey.Span).ToArray(), signer.NodeId.ToArray());
        var signature = new byte[MLDsa87Sizes.Signature];
        var length = signer.Sign(transcript, HandshakeTranscript.ServerContext, signature);

        var welcome = new WelcomeMessage(
            lie == Lie.NewerProtocol ? (byte)2 : FrameHeader.CurrentVersion,
            lie == Lie.WrongChain ? TestKeys.OtherChainId.ToArray() : hello.ChainId,
            lie == Lie.ShortKey ? signer.PublicKey[..100] : signer.PublicKey,
            nonce,
            lie == Lie.GarbageSignature ? RandomNumberGenerator.GetBytes(MLDsa87Sizes.Signature) : signature.AsMemory(0, length));
        var payload = new ArrayBufferWriter<byte>();
        HandshakeCodec.Write(payload, welcome);
        return FrameIo.Encode(MessageType.Welcome, 0, payload.WrittenSpan);
    }
}
