using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Handshake;
using Xunit;

namespace CretoAI.Fast.Net.Tests.Infrastructure;

/// <summary>
/// A plain socket speaking the protocol by hand, to send what a well-behaved
/// <see cref="FrameClient"/> never would.
/// </summary>
internal sealed class RawConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private RawConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
    }

    public PipeReader Input { get; }

    public FrameDecoder Decoder { get; } = new(WireLimits.DefaultMaxPayloadLength);

    public static async Task<RawConnection> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = FrameIo.Timeout();
            await socket.ConnectAsync(endpoint, timeout.Token);
            return new RawConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        using var timeout = FrameIo.Timeout();
        await _stream.WriteAsync(bytes, timeout.Token);
    }

    public Task SendFrameAsync(MessageType type, uint correlationId, ReadOnlySpan<byte> payload) =>
        SendAsync(FrameIo.Encode(type, correlationId, payload));

    public Task SendHelloAsync(HelloMessage hello)
    {
        var payload = new ArrayBufferWriter<byte>();
        HandshakeCodec.Write(payload, hello);
        return SendFrameAsync(MessageType.Hello, 0, payload.WrittenSpan);
    }

    public Task SendAuthenticateAsync(AuthenticateMessage authenticate)
    {
        var payload = new ArrayBufferWriter<byte>();
        HandshakeCodec.Write(payload, authenticate);
        return SendFrameAsync(MessageType.Authenticate, 0, payload.WrittenSpan);
    }

    /// <summary>
    /// Sends <paramref name="hello"/> (a default one if null), reads and decodes the Welcome, and
    /// returns the transcript the client is expected to sign.
    /// </summary>
    public async Task<(HelloMessage Hello, WelcomeMessage Welcome, byte[] Transcript)> OpenAsync(HelloMessage? hello = null)
    {
        hello ??= Hello();
        await SendHelloAsync(hello);
        var frame = await ExpectFrameAsync();
        Assert.Equal(MessageType.Welcome, frame.Type);
        Assert.Equal(WireErrorCode.None, HandshakeCodec.TryRead(new ReadOnlySequence<byte>(frame.Payload), out WelcomeMessage? welcome));
        var transcript = new byte[HandshakeTranscript.Length];
        HandshakeTranscript.Write(
            transcript,
            FrameHeader.CurrentVersion,
            hello.Role,
            hello.ChainId.Span,
            hello.Nonce.Span,
            welcome!.Nonce.Span,
            Sha3.Hash256(hello.PublicKey.Span).ToArray(),
            Sha3.Hash256(welcome.PublicKey.Span).ToArray());
        return (hello, welcome, transcript);
    }

    /// <summary>The client's transcript signature made with <paramref name="signer"/>.</summary>
    public static ReadOnlyMemory<byte> SignAsClient(IMessageSigner signer, byte[] transcript)
    {
        var signature = new byte[MLDsa87Sizes.Signature];
        var length = signer.Sign(transcript, HandshakeTranscript.ClientContext, signature);
        return signature.AsMemory(0, length);
    }

    /// <summary>A Hello as <see cref="FrameClient"/> would send it, with the given parts replaced.</summary>
    public static HelloMessage Hello(byte? version = null, ReadOnlyMemory<byte>? chainId = null, ReadOnlyMemory<byte>? publicKey = null, PeerRole role = PeerRole.Client) =>
        new(
            version ?? FrameHeader.CurrentVersion,
            chainId ?? TestKeys.ChainId.ToArray(),
            publicKey ?? TestKeys.Client.PublicKey,
            RandomNumberGenerator.GetBytes(WireLimits.NonceBytes),
            role);

    public async Task<ReceivedFrame> ExpectFrameAsync()
    {
        using var timeout = FrameIo.Timeout();
        return await FrameIo.ExpectFrameAsync(Input, Decoder, timeout.Token);
    }

    /// <summary>Reads one Error frame and returns its code.</summary>
    public async Task<WireErrorCode> ExpectErrorAsync()
    {
        var frame = await ExpectFrameAsync();
        return frame.ErrorCode;
    }

    /// <summary>True when the server closes the connection with no further frame.</summary>
    public async Task<bool> EndsAsync()
    {
        using var timeout = FrameIo.Timeout();
        return await FrameIo.EndsAsync(Input, Decoder, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync();
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
