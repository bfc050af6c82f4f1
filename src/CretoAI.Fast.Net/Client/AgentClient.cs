using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net.Handshake;
using CretoAI.Fast.Routing.Router;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Handshake;
using CretoAI.Fast.Wire.Routing;

namespace CretoAI.Fast.Net.Client;

/// <summary>
/// An agent's connection to a node's router (docs/routing.md): handshake with the agent's key,
/// login by signing the node's challenge, then signed sends answered once each with a
/// <see cref="RouteResultMessage"/>, and delivered messages in <see cref="Messages"/>. Receiver-side
/// deduplication: a message key seen within the window is acknowledged again but not handed to the
/// application twice (it is acknowledged again). When the application does not read, the inbox fills, the client stops reading
/// the socket, and the node's delivery to this agent slows down with it (its mailbox then refuses
/// senders with MailboxFull); other agents are not affected.
/// </summary>
public sealed class AgentClient : IAsyncDisposable
{
    private readonly FrameClient _connection;
    private readonly IMessageSigner _agent;
    private readonly AgentClientOptions _options;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<(MessageType Type, byte[] Payload)>> _pending = new();
    private readonly Channel<AgentMessage> _inbox;
    private readonly ReceivedMessageWindow _seen;
    private readonly List<MessageKey> _toAcknowledge = [];
    private readonly CancellationTokenSource _closing = new();
    private Task _reading = Task.CompletedTask;
    private uint _loginCorrelation;
    private long _nextMessageId;
    private long _received;
    private long _duplicates;
    private volatile Exception? _failure;

    private AgentClient(FrameClient connection, IMessageSigner agent, AgentClientOptions options)
    {
        _connection = connection;
        _agent = agent;
        _options = options;
        _inbox = Channel.CreateBounded<AgentMessage>(new BoundedChannelOptions(options.InboxCapacity) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        _seen = options.Received ?? new ReceivedMessageWindow(16_384, TimeSpan.FromMinutes(10));
        Span<byte> start = stackalloc byte[8];
        RandomBytes.Fill(start);

        // Fresh ids per process: a random start, far from wrapping, so a restarted client does not reuse ids.
        _nextMessageId = (long)(BitConverter.ToUInt64(start) >> 2) + 1;
    }

    public Hash32 AgentId => _agent.NodeId;

    public Hash32 ChainId => _connection.ChainId;

    /// <summary>The node this client is logged in to.</summary>
    public Hash32 NodeId => _connection.Server.Id;

    /// <summary>Messages delivered to this agent, each once (redeliveries within the dedup window are dropped).</summary>
    public ChannelReader<AgentMessage> Messages => _inbox.Reader;

    /// <summary>Deliver frames received, duplicates included.</summary>
    public long DeliveriesReceived => Interlocked.Read(ref _received);

    /// <summary>Deliveries dropped as repeats of a message already received.</summary>
    public long DuplicatesDropped => Interlocked.Read(ref _duplicates);

    /// <summary>Completes when the connection or the login stream ends.</summary>
    public Task Completion => _reading;

    /// <summary>Connects with the agent's key, logs in, and starts receiving.</summary>
    /// <exception cref="AgentLoginException">The node refused the login (unknown, suspended or revoked agent, …).</exception>
    public static async Task<AgentClient> ConnectAsync(EndPoint endpoint, IMessageSigner agent, AgentClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        options ??= new AgentClientOptions();
        var connection = await FrameClient.ConnectAsync(
            endpoint,
            new ClientOptions { ChainId = options.ChainId, Role = PeerRole.Client, ExpectedServerId = options.ExpectedNodeId, ConnectTimeout = options.ConnectTimeout, MaxPayloadLength = options.MaxPayloadLength },
            agent,
            MLDsa87SignatureVerifier.Instance,
            cancellationToken).ConfigureAwait(false);
        var client = new AgentClient(connection, agent, options);
        client._reading = Task.Run(client.ReadLoopAsync, CancellationToken.None);
        try
        {
            await client.LoginAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return client;
    }

    /// <summary>A fresh message id (retries of one message reuse the id of its first send).</summary>
    public ulong NewMessageId() => (ulong)Interlocked.Increment(ref _nextMessageId);

    /// <summary>Sends <paramref name="payload"/> to agent <paramref name="recipient"/>; completes with the node's one answer (Delivered once the recipient acknowledged it).</summary>
    public Task<RouteResultMessage> SendAsync(Hash32 recipient, ReadOnlyMemory<byte> payload, ulong messageId = 0, CancellationToken cancellationToken = default) =>
        SendRawAsync(RouteEnvelope.BuildSend(_agent, ChainId, messageId == 0 ? NewMessageId() : messageId, RouteSendLayout.KindAgent, recipient, payload.Span), cancellationToken);

    /// <summary>Sends <paramref name="payload"/> to every agent with capability <paramref name="tag"/>; answered FannedOut with counts.</summary>
    public Task<RouteResultMessage> FanOutAsync(string tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        if (!RouterTags.TryEncode(tag, out var encoded))
        {
            throw new ArgumentException($"'{tag}' is not a capability tag (1..32 of [a-z0-9._-]).", nameof(tag));
        }

        return SendRawAsync(RouteEnvelope.BuildSend(_agent, ChainId, NewMessageId(), RouteSendLayout.KindTag, encoded, payload.Span), cancellationToken);
    }

    /// <summary>Sends already built RouteSend bytes (tests use it to send what a well-behaved client would not).</summary>
    public async Task<RouteResultMessage> SendRawAsync(ReadOnlyMemory<byte> send, CancellationToken cancellationToken = default)
    {
        var (type, payload) = await CallAsync(MessageType.RouteSend, send, cancellationToken).ConfigureAwait(false);
        if (type != MessageType.RouteResult || !RouteResultMessage.TryRead(payload, out var result))
        {
            throw new WireException(WireErrorCode.MalformedPayload, $"expected a RouteResult, got message type {(ushort)type}");
        }

        return result;
    }

    /// <summary>Acknowledges messages (only needed with <see cref="AgentClientOptions.AutoAcknowledge"/> off).</summary>
    public Task AcknowledgeAsync(IReadOnlyList<MessageKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return WriteAcksAsync(keys, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_closing.IsCancellationRequested)
        {
            return;
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        _connection.Input.CancelPendingRead();
        try
        {
            await _reading.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            // Already failed; the failure was reported to the callers.
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        _closing.Dispose();
    }

    private async Task LoginAsync(CancellationToken cancellationToken)
    {
        var (type, payload) = await CallAsync(MessageType.AgentChallengeRequest, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        if (type != MessageType.AgentChallenge || !AgentChallengeMessage.TryRead(payload, out var challenge))
        {
            throw new WireException(WireErrorCode.MalformedPayload, $"expected an AgentChallenge, got message type {(ushort)type}");
        }

        var login = new byte[AgentLoginLayout.Length];
        _agent.PublicKey.Span.CopyTo(login);
        AgentLogin.Sign(_agent, ChainId, challenge.NodeId, challenge.Nonce).CopyTo(login, AgentLoginLayout.PublicKeyLength);
        var correlation = NextCorrelation();
        _loginCorrelation = correlation;
        (type, payload) = await CallAsync(MessageType.AgentLogin, login, cancellationToken, correlation).ConfigureAwait(false);
        if (type != MessageType.AgentLoginResult || !AgentLoginResultMessage.TryRead(payload, out var result))
        {
            throw new WireException(WireErrorCode.MalformedPayload, $"expected an AgentLoginResult, got message type {(ushort)type}");
        }

        if (result.Status != (byte)AgentLoginStatus.Ok)
        {
            throw new AgentLoginException((AgentLoginStatus)result.Status, result.Detail);
        }
    }

    private uint NextCorrelation()
    {
        uint id;
        do
        {
            id = _connection.NextCorrelationId();
        }
        while (id == 0);
        return id;
    }

    private async Task<(MessageType Type, byte[] Payload)> CallAsync(MessageType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken, uint correlation = 0)
    {
        if (_failure is { } failed)
        {
            throw new IOException($"the agent connection has ended: {failed.Message}", failed);
        }

        if (correlation == 0)
        {
            correlation = NextCorrelation();
        }

        var reply = new TaskCompletionSource<(MessageType, byte[])>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlation] = reply;
        try
        {
            await WriteAsync(type, correlation, payload, cancellationToken).ConfigureAwait(false);
            if (_failure is { } after)
            {
                reply.TrySetException(new IOException($"the agent connection has ended: {after.Message}", after));
            }

            return await reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(correlation, out _);
        }
    }

    private async Task WriteAsync(MessageType type, uint correlation, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            FrameEncoder.Write(_connection.Output, type, FrameFlags.None, correlation, payload.Span);
            await _connection.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task WriteAcksAsync(IReadOnlyList<MessageKey> keys, CancellationToken cancellationToken)
    {
        for (var start = 0; start < keys.Count; start += RouteAckLayout.MaxEntries)
        {
            var count = Math.Min(RouteAckLayout.MaxEntries, keys.Count - start);
            var payload = new byte[RouteAckLayout.Length(count)];
            RouteAckLayout.WriteCount(payload, count);
            for (var i = 0; i < count; i++)
            {
                RouteAckLayout.WriteEntry(payload, i, keys[start + i].Sender, keys[start + i].Id);
            }

            await WriteAsync(MessageType.RouteAck, 0, payload, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReadLoopAsync()
    {
        var input = _connection.Input;
        var decoder = _connection.Decoder;
        Exception failure = new IOException("the node closed the connection");
        var delivered = new List<AgentMessage>();
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    failure = new ObjectDisposedException(nameof(AgentClient));
                    break;
                }

                var buffer = result.Buffer;
                DecodeStatus status;
                WireErrorCode error;
                var ended = false;
                while ((status = decoder.TryDecode(ref buffer, out var frame, out error)) == DecodeStatus.Frame)
                {
                    ended |= Dispatch(frame, delivered);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (_toAcknowledge.Count > 0)
                {
                    await WriteAcksAsync(_toAcknowledge, _closing.Token).ConfigureAwait(false);
                    _toAcknowledge.Clear();
                }

                // Handing messages over may wait: that is the backpressure on the node.
                foreach (var message in delivered)
                {
                    await _inbox.Writer.WriteAsync(message, _closing.Token).ConfigureAwait(false);
                }

                delivered.Clear();
                if (status == DecodeStatus.Error)
                {
                    failure = new WireException(error, "malformed frame from the node");
                    break;
                }

                if (ended)
                {
                    failure = new WireException(WireErrorCode.Replaced, "the login stream ended: the agent logged in again elsewhere", reportedByPeer: true);
                    break;
                }

                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException or WireException)
        {
            failure = ex;
        }

        _failure = failure;
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new IOException($"the agent connection has ended: {failure.Message}", failure));
        }

        _inbox.Writer.TryComplete();
    }

    // True when the login stream ended.
    private bool Dispatch(in Frame frame, List<AgentMessage> delivered)
    {
        var header = frame.Header;
        var correlation = header.CorrelationId;
        if (header.Type == MessageType.RouteDeliver && correlation == _loginCorrelation)
        {
            Receive(frame.Payload, delivered);
            return false;
        }

        if (!_pending.TryGetValue(correlation, out var reply))
        {
            return header.Type == MessageType.Error && correlation != 0 && correlation == _loginCorrelation;
        }

        if (header.Type == MessageType.Error)
        {
            reply.TrySetException(HandshakeFrames.FromErrorFrame(frame.Payload));
        }
        else
        {
            reply.TrySetResult((header.Type, frame.Payload.ToArray()));
        }

        return false;
    }

    private void Receive(in ReadOnlySequence<byte> payload, List<AgentMessage> delivered)
    {
        Interlocked.Increment(ref _received);
        var deliver = payload.ToArray();
        if (deliver.Length < RouteSendLayout.SenderLength || !RouteSendLayout.TryRead(deliver.AsSpan(RouteSendLayout.SenderLength), out var header, out _))
        {
            return;
        }

        var key = new MessageKey(new Hash32(deliver.AsSpan(0, RouteSendLayout.SenderLength)), header.MessageId);
        if (!_seen.TryAdd(key))
        {
            // Already handed over: the node did not get (or lost) our acknowledgement. Say it again
            // (also with manual acknowledgement: the application has had this message).
            Interlocked.Increment(ref _duplicates);
            _toAcknowledge.Add(key);
            return;
        }

        if (_options.AutoAcknowledge)
        {
            _toAcknowledge.Add(key);
        }

        var body = deliver.AsMemory(RouteSendLayout.SenderLength + RouteSendLayout.HeaderLength, header.PayloadLength);
        delivered.Add(new AgentMessage(key, header.IsTag, header.Target, body, deliver));
    }
}
