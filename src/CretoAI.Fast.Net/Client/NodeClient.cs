using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net.Handshake;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Client;
using CretoAI.Fast.Wire.Handshake;

namespace CretoAI.Fast.Net.Client;

/// <summary>
/// A client of one node's client protocol (docs/protocol.md, "Client protocol"): submit signed
/// transactions, read status and committed blocks, follow commits. Safe to use from many threads;
/// requests are pipelined on one authenticated connection and their replies matched by correlation
/// id, in whatever order the node answers.
/// <para>
/// One writer loop encodes every queued frame and flushes once per batch (one send for many frames
/// under load); one reader loop decodes every complete frame of each read and completes the waiting
/// calls. At most the node's announced in-flight limit (Ready) of requests are outstanding; more
/// callers wait for a slot instead of being refused. A cancelled call stops waiting at once; its slot
/// is freed when the node's answer arrives. Errors the node sends for a request surface as
/// <see cref="WireException"/> with the node's code; a lost connection fails every outstanding call.
/// </para>
/// </summary>
public sealed class NodeClient : IAsyncDisposable
{
    // A batch is flushed early once this much is buffered, so one batch never holds much memory.
    private const int FlushThreshold = 1024 * 1024;

    private readonly FrameClient _connection;
    private readonly NodeClientOptions _options;
    private readonly ConcurrentDictionary<uint, PendingCall> _pending = new();
    private readonly SemaphoreSlim _slots;
    private readonly int _maxInFlight;
    private readonly Channel<OutgoingFrame> _outgoing = Channel.CreateUnbounded<OutgoingFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _reading;
    private readonly Task _writing;
    private Exception? _closeReason;
    private WireException? _peerClose;
    private int _disposed;
    private long _framesWritten;
    private long _batchesWritten;

    private NodeClient(EndPoint endpoint, FrameClient connection, NodeClientOptions options)
    {
        EndPoint = endpoint;
        _connection = connection;
        _options = options;
        _maxInFlight = Math.Max(1, connection.Limits.MaxInFlight);
        _slots = new SemaphoreSlim(_maxInFlight);
        _writing = Task.Run(WriteLoopAsync);
        _reading = Task.Run(ReadLoopAsync);
    }

    public EndPoint EndPoint { get; }

    /// <summary>The node's identity, proven at the handshake.</summary>
    public PeerInfo Server => _connection.Server;

    /// <summary>The chain of this session (the node's, when <see cref="NodeClientOptions.ChainId"/> was all zero).</summary>
    public Hash32 ChainId => _connection.ChainId;

    /// <summary>The node's limits for this session.</summary>
    public ReadyMessage Limits => _connection.Limits;

    /// <summary>False once the connection has ended, for whatever reason.</summary>
    public bool IsConnected => Volatile.Read(ref _closeReason) is null;

    /// <summary>Completes when the connection has ended and every outstanding call has been failed.</summary>
    public Task Completion => _reading;

    /// <summary>Frames written and flushes made so far: under pipelined load, far fewer flushes than frames.</summary>
    internal long FramesWritten => Interlocked.Read(ref _framesWritten);

    internal long BatchesWritten => Interlocked.Read(ref _batchesWritten);

    /// <summary>
    /// Connects and completes the authenticated handshake as a client identified by
    /// <paramref name="identity"/>. Throws <see cref="System.Net.Sockets.SocketException"/> when the
    /// node cannot be reached, <see cref="WireException"/> when the handshake is refused (by either
    /// side), <see cref="TimeoutException"/> after <see cref="NodeClientOptions.ConnectTimeout"/>.
    /// </summary>
    public static async Task<NodeClient> ConnectAsync(EndPoint endpoint, IMessageSigner identity, NodeClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(identity);
        options ??= new NodeClientOptions();
        options.Validate();
        var client = new ClientOptions
        {
            ChainId = options.ChainId,
            ExpectedServerId = options.ExpectedServerId,
            MaxPayloadLength = options.MaxPayloadLength,
            ConnectTimeout = options.ConnectTimeout,
            Role = PeerRole.Client,
        };
        var connection = await FrameClient.ConnectAsync(endpoint, client, identity, options.Verifier ?? MLDsa87SignatureVerifier.Instance, cancellationToken).ConfigureAwait(false);
        return new NodeClient(endpoint, connection, options);
    }

    /// <summary>
    /// Submits one signed transaction envelope (<see cref="Wire.Transactions.SignedTransaction"/>) and
    /// returns the node's admission verdict; its transaction id is
    /// <see cref="Wire.Transactions.TransactionIds.Of"/> of the same bytes. The bytes must stay
    /// unchanged until the returned task completes.
    /// </summary>
    public Task<SubmitResultMessage> SubmitAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken = default) =>
        CallAsync(MessageType.SubmitTransaction, envelope, new PendingReply<SubmitResultMessage>(MessageType.SubmitResult, ReadSubmitResult, notFoundIsDefault: false), cancellationToken);

    /// <summary>The node's status.</summary>
    public Task<StatusMessage> StatusAsync(CancellationToken cancellationToken = default) =>
        CallAsync(MessageType.StatusRequest, ReadOnlyMemory<byte>.Empty, new PendingReply<StatusMessage>(MessageType.StatusReply, ReadStatus, notFoundIsDefault: false), cancellationToken);

    /// <summary>The committed block at <paramref name="height"/>, or null when the node has not committed it (NotFound).</summary>
    public Task<CommittedBlockMessage?> GetBlockAsync(ulong height, CancellationToken cancellationToken = default)
    {
        var payload = new byte[GetBlockMessage.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(payload, height);
        return CallAsync(MessageType.GetBlock, payload, new PendingReply<CommittedBlockMessage?>(MessageType.BlockInfo, ReadBlock, notFoundIsDefault: true), cancellationToken);
    }

    /// <summary>
    /// Follows commits: every committed block from <paramref name="fromHeight"/> on (0: from the next
    /// commit), in height order, as the node streams them. The subscription is sent when enumeration
    /// starts. Ending the enumeration early (break, cancellation) tells the node to stop the stream.
    /// It ends with <see cref="SubscriptionOverflowException"/> when the consumer falls
    /// <see cref="NodeClientOptions.SubscriptionBuffer"/> notices behind, with
    /// <see cref="WireException"/> when the node ends it (e.g. SlowConsumer, NotFound) or the
    /// connection is lost, and simply stops when this client is disposed.
    /// </summary>
    public async IAsyncEnumerable<CommittedBlockMessage> SubscribeAsync(ulong fromHeight, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        var subscription = new PendingSubscription(_options.SubscriptionBuffer, fromHeight);
        var id = Register(subscription);
        var payload = new byte[SubscribeMessage.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(payload, fromHeight);
        if (!_outgoing.Writer.TryWrite(new OutgoingFrame(MessageType.Subscribe, id, payload)))
        {
            _pending.TryRemove(id, out _);
            throw ClosedException();
        }

        try
        {
            var reader = subscription.Reader;
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var block))
                {
                    yield return block;
                }
            }
        }
        finally
        {
            // Still registered means the stream is still open at the node: the consumer stopped
            // early, so ask the node to end it.
            if (_pending.TryRemove(id, out _) && IsConnected)
            {
                _outgoing.Writer.TryWrite(new OutgoingFrame(MessageType.Error, id, ReadOnlyMemory<byte>.Empty));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Stop reading first (a pending read is cancelled, never completed under the reader), then
        // let the writer send what is queued, then close the socket.
        Interlocked.CompareExchange(ref _closeReason, new ObjectDisposedException(nameof(NodeClient), $"the client of {EndPoint} was disposed"), null);
        _connection.Input.CancelPendingRead();
        await _reading.ConfigureAwait(false);
        _outgoing.Writer.TryComplete();
        await Task.WhenAny(_writing, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        await _writing.ConfigureAwait(false);
        _slots.Dispose();
    }

    private async Task<T> CallAsync<T>(MessageType type, ReadOnlyMemory<byte> payload, PendingReply<T> call, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!IsConnected)
        {
            // Pass the wake-up on to the next waiter, which fails the same way.
            _slots.Release();
            throw ClosedException();
        }

        var id = Register(call);
        if (!_outgoing.Writer.TryWrite(new OutgoingFrame(type, id, payload)) || !IsConnected)
        {
            if (_pending.TryRemove(id, out _))
            {
                _slots.Release();
                call.Fail(ClosedException(), local: false);
            }
        }

        return await call.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private uint Register(PendingCall call)
    {
        while (true)
        {
            var id = _connection.NextCorrelationId();
            if (id != 0 && _pending.TryAdd(id, call))
            {
                return id;
            }
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _outgoing.Reader;
        var output = _connection.Output;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                long frames = 0;
                while (output.UnflushedBytes < FlushThreshold && reader.TryRead(out var frame))
                {
                    if (frame.Type == MessageType.Error)
                    {
                        FrameEncoder.WriteError(output, frame.CorrelationId, WireErrorCode.Cancelled, "subscription cancelled by the client");
                    }
                    else
                    {
                        FrameEncoder.Write(output, frame.Type, FrameFlags.None, frame.CorrelationId, frame.Payload.Span);
                    }

                    frames++;
                }

                Interlocked.Add(ref _framesWritten, frames);
                Interlocked.Increment(ref _batchesWritten);
                var flush = await output.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or ObjectDisposedException)
        {
            // The connection is closing; the reader reports why.
        }
    }

    private async Task ReadLoopAsync()
    {
        var input = _connection.Input;
        var decoder = _connection.Decoder;
        Exception failure;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    failure = _closeReason ?? new ObjectDisposedException(nameof(NodeClient));
                    break;
                }

                var buffer = result.Buffer;
                DecodeStatus status;
                WireErrorCode error;
                while ((status = decoder.TryDecode(ref buffer, out var frame, out error)) == DecodeStatus.Frame)
                {
                    Dispatch(frame);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (status == DecodeStatus.Error)
                {
                    failure = new WireException(error, $"malformed frame from {EndPoint}");
                    break;
                }

                if (result.IsCompleted)
                {
                    failure = _peerClose is { } refused
                        ? new WireException(refused.Code, $"connection to {EndPoint} closed by the node: {WireErrorCodes.Describe(refused.Code)}", reportedByPeer: true)
                        : new IOException($"connection to {EndPoint} closed by the node");
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            failure = _closeReason ?? new IOException($"connection to {EndPoint} failed: {ex.Message}", ex);
        }

        Shutdown(failure);
    }

    private void Dispatch(in Frame frame)
    {
        var header = frame.Header;
        if (header.CorrelationId == 0)
        {
            // About the connection as a whole (ShuttingDown, IdleTimeout, ...): it is about to close.
            if (header.Type == MessageType.Error)
            {
                _peerClose = HandshakeFrames.FromErrorFrame(frame.Payload);
            }

            return;
        }

        if (!_pending.TryGetValue(header.CorrelationId, out var call))
        {
            // The answer to a call nobody waits for any more (a cancelled subscription's last notices).
            return;
        }

        bool finished;
        var endedHere = false;
        if (header.Type == MessageType.Error)
        {
            finished = call.OnError(HandshakeFrames.FromErrorFrame(frame.Payload));
        }
        else
        {
            var payload = frame.Payload;
            if (payload.IsSingleSegment)
            {
                finished = call.OnReply(header.Type, payload.FirstSpan);
            }
            else
            {
                var length = (int)payload.Length;
                var rented = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    payload.CopyTo(rented);
                    finished = call.OnReply(header.Type, rented.AsSpan(0, length));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }

            endedHere = finished;
        }

        if (finished && _pending.TryRemove(header.CorrelationId, out _))
        {
            if (call.HoldsSlot)
            {
                _slots.Release();
            }
            else if (endedHere)
            {
                // We ended a stream the node still sends (overflow, bad notice): tell it to stop.
                _outgoing.Writer.TryWrite(new OutgoingFrame(MessageType.Error, header.CorrelationId, ReadOnlyMemory<byte>.Empty));
            }
        }
    }

    private void Shutdown(Exception failure)
    {
        Interlocked.CompareExchange(ref _closeReason, failure, null);
        var local = _closeReason is ObjectDisposedException;
        _outgoing.Writer.TryComplete();
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var call))
            {
                call.Fail(ClosedException(), local);
            }
        }

        // Wake callers waiting for a slot; each finds the connection closed and fails.
        _slots.Release();
    }

    private void ThrowIfClosed()
    {
        if (!IsConnected)
        {
            throw ClosedException();
        }
    }

    /// <summary>A fresh exception per caller, saying why the connection ended.</summary>
    private Exception ClosedException() => Volatile.Read(ref _closeReason) switch
    {
        ObjectDisposedException disposed => new ObjectDisposedException(disposed.ObjectName, disposed.Message),
        WireException wire => new WireException(wire.Code, $"connection to {EndPoint} closed: {WireErrorCodes.Describe(wire.Code)}", wire.ReportedByPeer),
        { } other => new IOException(other.Message, other),
        null => new IOException($"connection to {EndPoint} is closed"),
    };

    private static bool ReadSubmitResult(ReadOnlySpan<byte> payload, out SubmitResultMessage value, out WireErrorCode error) =>
        SubmitResultMessage.TryRead(payload, out value, out error);

    private static bool ReadStatus(ReadOnlySpan<byte> payload, out StatusMessage value, out WireErrorCode error)
    {
        var ok = StatusMessage.TryRead(payload, out var status, out error);
        value = status!;
        return ok;
    }

    private static bool ReadBlock(ReadOnlySpan<byte> payload, out CommittedBlockMessage? value, out WireErrorCode error) =>
        CommittedBlockMessage.TryRead(payload, out value, out error);

    private delegate bool ReplyReader<T>(ReadOnlySpan<byte> payload, out T value, out WireErrorCode error);

    /// <summary>A frame waiting for the writer loop. Type Error means "cancel the stream with this correlation id".</summary>
    private readonly record struct OutgoingFrame(MessageType Type, uint CorrelationId, ReadOnlyMemory<byte> Payload);

    /// <summary>A request waiting for its answer, or an open subscription. Methods return true when the call is over.</summary>
    private abstract class PendingCall
    {
        /// <summary>True when the call occupies one of the node's in-flight slots until answered.</summary>
        public abstract bool HoldsSlot { get; }

        public abstract bool OnReply(MessageType type, ReadOnlySpan<byte> payload);

        public abstract bool OnError(WireException error);

        public abstract void Fail(Exception error, bool local);
    }

    private sealed class PendingReply<T>(MessageType expected, ReplyReader<T> read, bool notFoundIsDefault) : PendingCall
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _completion.Task;

        public override bool HoldsSlot => true;

        public override bool OnReply(MessageType type, ReadOnlySpan<byte> payload)
        {
            if (type != expected)
            {
                _completion.TrySetException(new WireException(WireErrorCode.UnexpectedMessage, $"expected {expected}, the node answered with message type {(ushort)type}", reportedByPeer: true));
            }
            else if (read(payload, out var value, out var error))
            {
                _completion.TrySetResult(value);
            }
            else
            {
                _completion.TrySetException(new WireException(error, $"malformed {expected} payload from the node"));
            }

            return true;
        }

        public override bool OnError(WireException error)
        {
            if (notFoundIsDefault && error.Code == WireErrorCode.NotFound)
            {
                _completion.TrySetResult(default!);
            }
            else
            {
                _completion.TrySetException(error);
            }

            return true;
        }

        public override void Fail(Exception error, bool local) => _completion.TrySetException(error);
    }

    private sealed class PendingSubscription : PendingCall
    {
        private readonly Channel<CommittedBlockMessage> _notices;
        private readonly int _capacity;
        private ulong _nextHeight;

        public PendingSubscription(int capacity, ulong fromHeight)
        {
            _capacity = capacity;
            _nextHeight = fromHeight;
            _notices = Channel.CreateBounded<CommittedBlockMessage>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        }

        public ChannelReader<CommittedBlockMessage> Reader => _notices.Reader;

        public override bool HoldsSlot => false;

        public override bool OnReply(MessageType type, ReadOnlySpan<byte> payload)
        {
            if (type != MessageType.CommitNotice)
            {
                _notices.Writer.TryComplete(new WireException(WireErrorCode.UnexpectedMessage, $"expected CommitNotice, the node streamed message type {(ushort)type}", reportedByPeer: true));
                return true;
            }

            if (!CommittedBlockMessage.TryRead(payload, out var block, out var error))
            {
                _notices.Writer.TryComplete(new WireException(error, "malformed CommitNotice payload from the node"));
                return true;
            }

            // Never block the reader loop on a consumer: a full buffer ends the subscription.
            if (!_notices.Writer.TryWrite(block!))
            {
                _notices.Writer.TryComplete(new SubscriptionOverflowException(_capacity, _nextHeight));
                return true;
            }

            _nextHeight = block!.Height + 1;
            return false;
        }

        public override bool OnError(WireException error)
        {
            _notices.Writer.TryComplete(error);
            return true;
        }

        public override void Fail(Exception error, bool local)
        {
            if (local)
            {
                _notices.Writer.TryComplete();
            }
            else
            {
                _notices.Writer.TryComplete(error);
            }
        }
    }
}
