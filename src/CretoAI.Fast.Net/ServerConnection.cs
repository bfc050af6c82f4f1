using System.Buffers;
using CretoAI.Fast.Net.Handshake;
using CretoAI.Fast.Net.Sockets;
using CretoAI.Fast.Wire;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Net;

/// <summary>
/// One accepted connection: handshake, then a single read loop that decodes every complete frame
/// in each read, dispatches it, and sends all replies of the batch with one send system call for
/// many frames: straight from a per-connection buffer (<see cref="ReplyBuffer"/>,
/// <see cref="SocketPipe.TrySendDirect"/>) when nothing is queued ahead of them, else through the
/// output pipe, whose flush waits while the peer is not reading (backpressure). Any malformed
/// frame ends only this connection, after an error frame that says why.
/// </summary>
internal sealed class ServerConnection
{
    private readonly SocketPipe _pipe;
    private readonly FrameServer _server;
    private readonly TransportOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly FrameDecoder _decoder;
    private long _lastActivity;
    private volatile int _closeReason; // WireErrorCode that ends the session from outside the loop
    private RequestContext? _context;
    private ReplyBuffer? _replies;

    public ServerConnection(long id, SocketPipe pipe, FrameServer server, TransportOptions options, ILogger logger)
    {
        Id = id;
        _pipe = pipe;
        _server = server;
        _options = options;
        _logger = logger;
        _decoder = new FrameDecoder(options.MaxPayloadLength);
        _lastActivity = Environment.TickCount64;
    }

    public long Id { get; }

    public PeerInfo? Peer { get; private set; }

    public string Remote => _pipe.RemoteEndPoint?.ToString() ?? "?";

    /// <summary>Asks the session to end with <paramref name="reason"/> after the frames it already has.</summary>
    public void RequestClose(WireErrorCode reason)
    {
        _closeReason = (int)reason;
        _pipe.Input.CancelPendingRead();
    }

    /// <summary>Called by the server's idle timer.</summary>
    public void CheckIdle(long nowTicks)
    {
        // During the handshake its own timeout applies; a session waiting on its own deferred
        // replies, or receiving a stream it asked for, is not idle.
        if (Peer is not null && _context is { InFlight: 0, OpenStreams: 0 } && nowTicks - Interlocked.Read(ref _lastActivity) > (long)_options.IdleTimeout.TotalMilliseconds)
        {
            RequestClose(WireErrorCode.IdleTimeout);
        }
    }

    public void Abort() => _pipe.Abort();

    /// <summary>
    /// Bytes read from the socket minus bytes handed back to it: what this connection holds in
    /// process memory (pipes, reply buffer) while its peer echoes (tests check it stays bounded).
    /// </summary>
    internal long BytesHeld => _pipe.BytesReceived - _pipe.BytesSent;

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            if (!await HandshakeAsync(stopping).ConfigureAwait(false))
            {
                return;
            }

            await SessionLoopAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Connection {Id} from {Remote}: unexpected failure; closing it", Id, Remote);
            _server.Counters.Error(WireErrorCode.InternalError);
        }
        finally
        {
            _context?.EndStreams();
            await _pipe.DisposeAsync().ConfigureAwait(false);
            _replies?.Release();
        }
    }

    private async Task<bool> HandshakeAsync(CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_options.HandshakeTimeout);
        try
        {
            Peer = await ServerHandshake.RunAsync(_pipe.Input, _pipe.Output, _options, _server.Signer, _server.Verifier, _server.Authorizer, timeout.Token).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);
            _logger.LogInformation("Connection {Id} from {Remote}: {Role} {Peer} authenticated", Id, Remote, Peer.Role, Peer.Id.ToShortString());
            return true;
        }
        catch (WireException ex)
        {
            _server.Counters.HandshakeFailed();
            _server.Counters.Error(ex.Code);
            _logger.LogWarning("Connection {Id} from {Remote}: handshake refused: {Reason}", Id, Remote, ex.Message);
            await HandshakeFrames.WriteErrorAsync(_pipe.Output, 0, ex.Code, ex.Message).ConfigureAwait(false);
            return false;
        }
        catch (OperationCanceledException)
        {
            _server.Counters.HandshakeFailed();
            var code = stopping.IsCancellationRequested ? WireErrorCode.ShuttingDown : WireErrorCode.HandshakeTimeout;
            _server.Counters.Error(code);
            _logger.LogWarning("Connection {Id} from {Remote}: handshake not completed ({Code})", Id, Remote, code);
            await HandshakeFrames.WriteErrorAsync(_pipe.Output, 0, code, WireErrorCodes.Describe(code)).ConfigureAwait(false);
            return false;
        }
    }

    private async Task SessionLoopAsync()
    {
        var input = _pipe.Input;
        var output = _pipe.Output;
        var replies = new ReplyBuffer(output);
        _replies = replies;
        var context = new RequestContext(Peer!, output, replies, _writeLock, _options.MaxInFlightPerConnection, _server.Counters, _options.MaxStreamsPerConnection);
        _context = context;
        var handler = _server.Handler;

        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            var error = WireErrorCode.None;
            long received = 0;

            await _writeLock.WaitAsync().ConfigureAwait(false);
            try
            {
                context.RepliesWritten = 0;
                replies.Reset();
                while (error == WireErrorCode.None)
                {
                    var status = _decoder.TryDecode(ref buffer, out var frame, out var decodeError);
                    if (status == DecodeStatus.NeedMoreData)
                    {
                        break;
                    }

                    if (status == DecodeStatus.Error)
                    {
                        error = decodeError;
                        break;
                    }

                    received++;
                    error = Dispatch(context, handler, frame, replies);
                }

                if (error == WireErrorCode.None && result.IsCompleted)
                {
                    error = FrameDecoder.CheckEndOfStream(buffer);
                }

                // Measured before AdvanceTo: after it the read buffer's segments may be reused.
                var consumedBytes = result.Buffer.Length - buffer.Length;
                input.AdvanceTo(buffer.Start, buffer.End);

                // Any bytes count as activity: a peer sending one large frame slowly is not idle.
                if (!result.Buffer.IsEmpty)
                {
                    Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);
                }

                if (error != WireErrorCode.None)
                {
                    _server.Counters.Error(error);
                    _logger.LogWarning("Connection {Id} from {Peer}: {Reason}; closing it", Id, Peer!.Id.ToShortString(), WireErrorCodes.Describe(error));
                    FrameEncoder.WriteError(replies, 0, error, WireErrorCodes.Describe(error));
                    context.RepliesWritten++;
                }

                _server.Counters.AddFrames(received, context.RepliesWritten);
                _server.Counters.AddBytes(consumedBytes, replies.BatchBytes);
                if (SendReplies(replies) || error != WireErrorCode.None)
                {
                    var flush = await output.FlushAsync().ConfigureAwait(false);
                    if (flush.IsCompleted)
                    {
                        return;
                    }
                }
            }
            finally
            {
                _writeLock.Release();
            }

            if (error != WireErrorCode.None || result.IsCompleted)
            {
                return;
            }

            if (result.IsCanceled)
            {
                await CloseAsync(context, (WireErrorCode)_closeReason).ConfigureAwait(false);
                return;
            }
        }
    }

    /// <summary>
    /// Sends the batch's replies directly when they are all in the buffer and nothing is queued
    /// ahead of them; whatever the kernel does not take goes to the output pipe. True when the
    /// pipe then holds replies that the caller must flush.
    /// </summary>
    private bool SendReplies(ReplyBuffer replies)
    {
        if (replies.HasSpilled)
        {
            return true;
        }

        var pending = replies.Pending;
        if (pending.IsEmpty)
        {
            return false;
        }

        var sent = _pipe.TrySendDirect(pending);
        if (sent == pending.Length)
        {
            return false;
        }

        replies.MoveToPipe(sent);
        return true;
    }

    private WireErrorCode Dispatch(RequestContext context, IRequestHandler? handler, in Frame frame, IBufferWriter<byte> output)
    {
        switch (frame.Type)
        {
            case MessageType.Ping:
                FrameEncoder.Write(output, MessageType.Pong, FrameFlags.Response, frame.CorrelationId, frame.Payload);
                context.RepliesWritten++;
                return WireErrorCode.None;
            case MessageType.Pong:
                return WireErrorCode.None;
            case MessageType.Error:
                // An error naming one of our open streams ends that stream (a client cancels a
                // subscription so); any other is logged.
                if (frame.CorrelationId == 0 || !context.CloseStream(frame.CorrelationId))
                {
                    LogPeerError(frame.Payload);
                }

                return WireErrorCode.None;
            case MessageType.Hello or MessageType.Welcome or MessageType.Authenticate or MessageType.Ready:
                return WireErrorCode.UnexpectedMessage;
        }

        if (handler is not null && handler.TryHandle(context, frame))
        {
            return WireErrorCode.None;
        }

        // A well-delimited frame of a type we do not serve: answer it, keep the connection.
        context.ReplyError(frame.CorrelationId, WireErrorCode.UnknownMessageType, $"message type {(ushort)frame.Type} is not served here");
        return WireErrorCode.None;
    }

    private void LogPeerError(in ReadOnlySequence<byte> payload)
    {
        if (ErrorPayload.TryRead(payload, out var code, out var message) == WireErrorCode.None)
        {
            _logger.LogWarning("Connection {Id}: peer reported error {Code}: {Message}", Id, code, message);
        }
        else
        {
            _logger.LogWarning("Connection {Id}: peer sent a malformed error frame", Id);
        }
    }

    private async Task CloseAsync(RequestContext context, WireErrorCode reason)
    {
        if (reason == WireErrorCode.ShuttingDown)
        {
            // Let replies deferred by the application finish before saying goodbye.
            var deadline = Environment.TickCount64 + (long)_options.ShutdownTimeout.TotalMilliseconds;
            while (Environment.TickCount64 < deadline && context.InFlight > 0)
            {
                await Task.Delay(10).ConfigureAwait(false);
            }
        }

        _server.Counters.Error(reason);
        _logger.LogInformation("Connection {Id} from {Remote}: closing ({Reason})", Id, Remote, WireErrorCodes.Describe(reason));
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await HandshakeFrames.WriteErrorAsync(_pipe.Output, 0, reason, WireErrorCodes.Describe(reason)).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
