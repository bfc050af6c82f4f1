using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net.Handshake;
using CretoAI.Fast.Net.Sockets;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Handshake;

namespace CretoAI.Fast.Net;

/// <summary>
/// An authenticated client connection. After <see cref="ConnectAsync"/> the caller owns
/// <see cref="Input"/> and <see cref="Output"/> and drives them with its own read loop (the load
/// generator pipelines thousands of requests this way); <see cref="PingAsync"/> is a simple
/// one-at-a-time request for tools and tests.
/// </summary>
public sealed class FrameClient : IAsyncDisposable
{
    private readonly SocketPipe _pipe;
    private uint _nextCorrelationId;

    private FrameClient(SocketPipe pipe, PeerInfo server, ReadyMessage limits, Hash32 chainId, int maxPayloadLength)
    {
        _pipe = pipe;
        Server = server;
        ChainId = chainId;
        Limits = limits;
        Decoder = new FrameDecoder(maxPayloadLength);
    }

    public PeerInfo Server { get; }

    /// <summary>The chain of this session: the one asked for, or the server's when <see cref="ClientOptions.ChainId"/> was all zero.</summary>
    public Hash32 ChainId { get; }

    /// <summary>The server's limits for this session, from its Ready message.</summary>
    public ReadyMessage Limits { get; }

    public FrameDecoder Decoder { get; }

    public PipeReader Input => _pipe.Input;

    public PipeWriter Output => _pipe.Output;

    /// <summary>Connects to <paramref name="endpoint"/> and completes the handshake, or throws a <see cref="WireException"/> (refused by the peer or the peer failed our checks) or <see cref="SocketException"/>.</summary>
    public static async Task<FrameClient> ConnectAsync(EndPoint endpoint, ClientOptions options, IMessageSigner signer, ISignatureVerifier verifier, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(verifier);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        SocketPipe? pipe = null;
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
            pipe = new SocketPipe(socket, FrameEncoder.FrameLength(options.MaxPayloadLength), options.InlineScheduling);
            var (server, limits, chainId) = await ClientHandshake.RunAsync(pipe.Input, pipe.Output, options, signer, verifier, timeout.Token).ConfigureAwait(false);
            return new FrameClient(pipe, server, limits, chainId, options.MaxPayloadLength);
        }
        catch (WireException ex) when (pipe is not null && ex.ReportedByPeer)
        {
            await pipe.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        catch (WireException ex) when (pipe is not null)
        {
            // We refuse the server: tell it why before closing.
            await HandshakeFrames.WriteErrorAsync(pipe.Output, 0, ex.Code, ex.Message).ConfigureAwait(false);
            await pipe.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            if (pipe is not null)
            {
                await pipe.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }

            throw new TimeoutException($"Connecting to {endpoint} and completing the handshake took longer than {options.ConnectTimeout.TotalSeconds:0.#} s.", ex);
        }
        catch
        {
            if (pipe is not null)
            {
                await pipe.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }

            throw;
        }
    }

    /// <summary>Allocates the next correlation id for a request on this connection.</summary>
    public uint NextCorrelationId() => Interlocked.Increment(ref _nextCorrelationId);

    /// <summary>
    /// Sends one Ping and waits for its Pong; returns the echoed payload. Not for use while another
    /// reader drives <see cref="Input"/>.
    /// </summary>
    public async Task<byte[]> PingAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        var id = NextCorrelationId();
        FrameEncoder.Write(Output, MessageType.Ping, FrameFlags.None, id, payload.Span);
        await Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var result = await Input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = Decoder.TryDecode(ref buffer, out var frame, out var error);
            if (status == DecodeStatus.Frame)
            {
                var header = frame.Header;
                var body = frame.Payload.ToArray();
                Input.AdvanceTo(buffer.Start);
                if (header.Type == MessageType.Error)
                {
                    throw HandshakeFrames.FromErrorFrame(new ReadOnlySequence<byte>(body));
                }

                if (header.Type == MessageType.Pong && header.CorrelationId == id)
                {
                    return body;
                }

                throw new WireException(WireErrorCode.UnexpectedMessage, $"expected Pong {id}, got type {(ushort)header.Type} id {header.CorrelationId}");
            }

            if (status == DecodeStatus.Error)
            {
                throw new WireException(error, "malformed frame from server");
            }

            Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted)
            {
                throw new WireException(WireErrorCode.TruncatedFrame, "server closed the connection");
            }
        }
    }

    public ValueTask DisposeAsync() => _pipe.DisposeAsync();
}
