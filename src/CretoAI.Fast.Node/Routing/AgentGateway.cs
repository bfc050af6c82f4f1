using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net;
using CretoAI.Fast.Routing.Router;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Routing;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Routing;

/// <summary>
/// The agent router on the node's port (docs/routing.md, protocol §12): agent login, signed sends
/// verified in batches off the read loops, deliveries pushed on each agent's login stream by one
/// pump per agent (a slow reader holds back only its own pump), acknowledgements, and the frames
/// validators exchange to forward messages and gossip presence. Routing decisions are the
/// transport-free <see cref="MessageRouter"/>'s; this class moves bytes.
/// </summary>
public sealed class AgentGateway : IRouterOutput, IAsyncDisposable
{
    private static readonly byte[] SignatureContext = RouteSendLayout.SignatureContext.ToArray();

    private readonly RouterSettings _settings;
    private readonly Hash32 _chainId;
    private readonly Hash32 _nodeId;
    private readonly IRouteLinks? _links;
    private readonly int _self;
    private readonly int _nodeCount;
    private readonly ILogger _logger;
    private readonly ConditionalWeakTable<RequestContext, AgentConnection> _connections = [];
    private readonly Channel<PendingSend> _verifyQueue;
    private readonly MLDsa87BatchVerifier _verifier;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<(Hash32 Agent, bool Present)> _presenceBatch = [];
    private readonly List<Hash32> _localAgents = [];
    private Task _verifying = Task.CompletedTask;
    private Timer? _tick;
    private Timer? _gossip;
    private long _lastRefreshMs;
    private int _gossiping;

    /// <param name="settings">Router bounds (validated).</param>
    /// <param name="directory">Agent standings.</param>
    /// <param name="chainId">The chain sends must be signed for.</param>
    /// <param name="nodeId">This node's id (bound into login transcripts).</param>
    /// <param name="self">This node's validator index.</param>
    /// <param name="nodeCount">Validators that route to each other.</param>
    /// <param name="links">Links to the other validators; null for a node alone.</param>
    /// <param name="logger">Log.</param>
    /// <param name="verifyThreads">Threads a batch of sends' signatures is verified on; 0: every core.</param>
    public AgentGateway(RouterSettings settings, IAgentDirectory directory, Hash32 chainId, Hash32 nodeId, int self, int nodeCount, IRouteLinks? links, ILogger logger, int verifyThreads = 0)
    {
        _settings = (settings ?? throw new ArgumentNullException(nameof(settings))).Validate();
        _chainId = chainId;
        _nodeId = nodeId;
        _self = self;
        _nodeCount = nodeCount;
        _links = links;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Router = new MessageRouter(settings, directory, this, self, nodeCount);
        _verifyQueue = Channel.CreateBounded<PendingSend>(new BoundedChannelOptions(settings.VerifyQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

        // Expanded keys are ~64 KiB each: keep the hot senders', not every agent's.
        _verifier = new MLDsa87BatchVerifier(new MLDsa87KeyCache(256L << 20), verifyThreads);
    }

    public MessageRouter Router { get; }

    /// <summary>Called with the seconds from a send's arrival to its Delivered answer (the routing latency histogram).</summary>
    public Action<double>? LatencyObserved { get; set; }

    public void Start()
    {
        _verifying = Task.Factory.StartNew(VerifyLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        _tick = new Timer(_ => Router.Tick(Environment.TickCount64), null, 100, 100);
        if (_nodeCount > 1)
        {
            _gossip = new Timer(_ => Gossip(), null, 200, 200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _verifyQueue.Writer.TryComplete();
        if (_tick is not null)
        {
            await _tick.DisposeAsync().ConfigureAwait(false);
        }

        if (_gossip is not null)
        {
            await _gossip.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await _verifying.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        while (_verifyQueue.Reader.TryRead(out var pending))
        {
            Answer(pending, RouteStatus.Unavailable, "the node is stopping");
        }

        _stopping.Dispose();
    }

    // ---- Client frames ------------------------------------------------------------------------

    /// <summary>Handles the agent frames of a client session; false for any other type.</summary>
    public bool TryHandleClient(RequestContext context, in Frame frame)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = frame.Header;
        switch (header.Type)
        {
            case MessageType.AgentChallengeRequest:
                Challenge(context, header.CorrelationId, frame.Payload.Length);
                return true;
            case MessageType.AgentLogin:
                Login(context, header.CorrelationId, frame.Payload);
                return true;
            case MessageType.RouteSend:
                Send(context, header.CorrelationId, frame.Payload);
                return true;
            case MessageType.RouteAck:
                Acknowledge(context, header.CorrelationId, frame.Payload);
                return true;
            default:
                return false;
        }
    }

    private void Challenge(RequestContext context, uint correlationId, long length)
    {
        if (length != 0)
        {
            context.ReplyError(correlationId, WireErrorCode.TrailingBytes, "AgentChallengeRequest has an empty payload");
            return;
        }

        var connection = _connections.GetValue(context, static c => new AgentConnection(c));
        var nonce = AgentLogin.NewNonce();
        connection.Challenge = nonce;
        connection.ChallengeAtMs = Environment.TickCount64;
        Span<byte> payload = stackalloc byte[AgentChallengeMessage.Length];
        nonce.CopyTo(payload);
        _nodeId.CopyTo(payload[Hash32.Size..]);
        context.Reply(MessageType.AgentChallenge, correlationId, payload);
    }

    private void Login(RequestContext context, uint correlationId, in ReadOnlySequence<byte> payload)
    {
        var layout = AgentLoginLayout.Check((int)Math.Min(payload.Length, int.MaxValue));
        if (layout != WireErrorCode.None)
        {
            context.ReplyError(correlationId, layout, $"AgentLogin is exactly {AgentLoginLayout.Length} bytes (public key, signature)");
            return;
        }

        var connection = _connections.GetValue(context, static c => new AgentConnection(c));
        if (connection.LoginStarted)
        {
            ReplyLogin(context, correlationId, AgentLoginStatus.AlreadyLoggedIn, default);
            return;
        }

        if (connection.Challenge is not { } nonce || Environment.TickCount64 - connection.ChallengeAtMs > _settings.ChallengeTtlMs)
        {
            connection.Challenge = null;
            ReplyLogin(context, correlationId, AgentLoginStatus.NoChallenge, default);
            return;
        }

        // Single use, whatever the outcome.
        connection.Challenge = null;
        if (!context.TryOpenStream(correlationId, out var stream))
        {
            return;
        }

        connection.LoginStarted = true;
        var bytes = payload.ToArray();
        _ = Task.Run(() => CompleteLoginAsync(connection, stream!, nonce, bytes));
    }

    private async Task CompleteLoginAsync(AgentConnection connection, ReplyStream stream, Hash32 nonce, byte[] login)
    {
        ReadOnlyMemory<byte> key = login.AsMemory(0, AgentLoginLayout.PublicKeyLength);
        var agentId = AgentLogin.Verify(key.Span, login.AsSpan(AgentLoginLayout.PublicKeyLength), _chainId, _nodeId, nonce, out var reason);

        // Keep 2,592 bytes per agent, not the 7,219 of the login: the connection's own key when the
        // agent connected with it (the usual case), else a copy.
        var peerKey = connection.Context.Peer.PublicKey;
        key = peerKey.Span.SequenceEqual(key.Span) ? peerKey : key.ToArray();
        AgentLoginStatus status;
        AgentSession? session = null;
        if (agentId is not { } id)
        {
            status = AgentLoginStatus.BadSignature;
        }
        else
        {
            session = new AgentSession(id, key, connection);
            connection.Stream = stream;
            status = Router.Login(session, Environment.TickCount64);
            reason = AgentLogin.Describe(status);
        }

        var result = LoginResult(status, agentId ?? default, reason ?? AgentLogin.Describe(status));
        if (status != AgentLoginStatus.Ok)
        {
            _logger.LogInformation("Agent login refused on a connection from {Peer}: {Status} ({Reason})", connection.Context.Peer.Id.ToShortString(), status, reason);
            connection.LoginStarted = false;
            await stream.PushAsync(MessageType.AgentLoginResult, result).ConfigureAwait(false);
            stream.Close();
            return;
        }

        connection.Session = session;
        stream.Closed.Register(static state =>
        {
            var (router, loggedIn) = ((MessageRouter, AgentSession))state!;
            router.Logout(loggedIn);
        }, (Router, session!));
        if (!await stream.PushAsync(MessageType.AgentLoginResult, result).ConfigureAwait(false))
        {
            return;
        }

        if (connection.MarkReady())
        {
            StartPump(session!);
        }
    }

    private static byte[] LoginResult(AgentLoginStatus status, Hash32 agentId, string detail)
    {
        var writer = new ArrayBufferWriter<byte>(64);
        new AgentLoginResultMessage((byte)status, agentId, detail).WriteTo(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static void ReplyLogin(RequestContext context, uint correlationId, AgentLoginStatus status, Hash32 agentId) =>
        context.Reply(MessageType.AgentLoginResult, correlationId, LoginResult(status, agentId, AgentLogin.Describe(status)));

    private void Send(RequestContext context, uint correlationId, in ReadOnlySequence<byte> payload)
    {
        var now = Environment.TickCount64;
        var received = Stopwatch.GetTimestamp();
        if (payload.Length > RouteSendLayout.EncodedLength(_settings.MaxPayloadBytes))
        {
            // Checked before the layout: the declared length is not trusted for anything else.
            ReplyResult(context, correlationId, RouteStatus.TooLarge, MessageIdOf(payload), $"the payload is larger than this node's limit of {_settings.MaxPayloadBytes} bytes");
            return;
        }

        var deliver = new byte[RouteSendLayout.SenderLength + payload.Length];
        payload.CopyTo(deliver.AsSpan(RouteSendLayout.SenderLength));
        if (!RouteSendLayout.TryRead(deliver.AsSpan(RouteSendLayout.SenderLength), out var header, out var layout))
        {
            context.ReplyError(correlationId, layout, "RouteSend does not follow its layout (protocol §12.4)");
            return;
        }

        if (!_connections.TryGetValue(context, out var connection) || connection.Session is not { } session)
        {
            ReplyResult(context, correlationId, RouteStatus.NotLoggedIn, header.MessageId, "this connection has no logged-in agent; log in first");
            return;
        }

        if (header.PayloadLength > _settings.MaxPayloadBytes)
        {
            ReplyResult(context, correlationId, RouteStatus.TooLarge, header.MessageId, $"the payload is {header.PayloadLength} bytes; this node's limit is {_settings.MaxPayloadBytes}");
            return;
        }

        if (header.ChainId != _chainId)
        {
            ReplyResult(context, correlationId, RouteStatus.Malformed, header.MessageId, "signed for another chain");
            return;
        }

        if (header.IsTag && !RouterTags.IsValid(header.Target))
        {
            ReplyResult(context, correlationId, RouteStatus.Malformed, header.MessageId, "the tag is not 1..32 of [a-z0-9._-], zero-padded");
            return;
        }

        var check = Router.CheckSender(session, header.IsTag ? _settings.FanOutCost : 1, now, out var detail);
        if (check != RouteStatus.Delivered)
        {
            WriteResult(context, correlationId, check, header.MessageId, detail);
            return;
        }

        if (!context.TryDefer(correlationId, out var reply))
        {
            return;
        }

        session.AgentId.CopyTo(deliver);
        var message = new RoutedMessage(new MessageKey(session.AgentId, header.MessageId), header.Target, deliver, header.IsTag, received);
        var pending = new PendingSend(context, reply, header, message, session.PublicKey);
        if (!_verifyQueue.Writer.TryWrite(pending))
        {
            Answer(pending, RouteStatus.Busy, $"more than {_settings.VerifyQueueCapacity} sends are waiting for signature verification");
        }
    }

    private void Acknowledge(RequestContext context, uint correlationId, in ReadOnlySequence<byte> payload)
    {
        if (payload.Length > RouteAckLayout.Length(RouteAckLayout.MaxEntries))
        {
            context.ReplyError(correlationId, WireErrorCode.FieldTooLarge, $"at most {RouteAckLayout.MaxEntries} acknowledgements per RouteAck");
            return;
        }

        Span<byte> bytes = stackalloc byte[(int)payload.Length];
        payload.CopyTo(bytes);
        if (!RouteAckLayout.TryReadCount(bytes, out var count, out var error))
        {
            context.ReplyError(correlationId, error, "RouteAck does not follow its layout (protocol §12.7)");
            return;
        }

        if (!_connections.TryGetValue(context, out var connection) || connection.Session is not { IsLoggedIn: true } session)
        {
            context.ReplyError(correlationId, WireErrorCode.MalformedPayload, "acknowledgements need a logged-in agent on this connection");
            return;
        }

        var now = Environment.TickCount64;
        for (var i = 0; i < count; i++)
        {
            var (sender, id) = RouteAckLayout.ReadEntry(bytes, i);
            Router.Acknowledge(session, new MessageKey(sender, id), now);
        }
    }

    private static ulong MessageIdOf(in ReadOnlySequence<byte> payload)
    {
        if (payload.Length < 40)
        {
            return 0;
        }

        Span<byte> id = stackalloc byte[8];
        payload.Slice(32, 8).CopyTo(id);
        return BitConverter.ToUInt64(id);
    }

    private void ReplyResult(RequestContext context, uint correlationId, RouteStatus status, ulong messageId, string detail)
    {
        Router.Counters.CountAnswer(status);
        WriteResult(context, correlationId, status, messageId, detail);
    }

    private static void WriteResult(RequestContext context, uint correlationId, RouteStatus status, ulong messageId, string detail)
    {
        var writer = new ArrayBufferWriter<byte>(RouteResultMessage.MaxLength);
        new RouteResultMessage((byte)status, messageId, detail).WriteTo(writer);
        context.Reply(MessageType.RouteResult, correlationId, writer.WrittenSpan);
    }

    // ---- Verification -------------------------------------------------------------------------

    private async Task VerifyLoopAsync()
    {
        var batch = new List<PendingSend>(_settings.VerifyBatchSize);
        var items = new List<MLDsa87BatchItem>(_settings.VerifyBatchSize);
        var results = new bool[_settings.VerifyBatchSize];
        var reader = _verifyQueue.Reader;
        while (await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
        {
            while (batch.Count < _settings.VerifyBatchSize && reader.TryRead(out var pending))
            {
                batch.Add(pending);
                items.Add(new MLDsa87BatchItem(pending.SenderKey, RouteEnvelope.SignedPart(pending.Message.Deliver, pending.Header), SignatureContext, RouteEnvelope.Signature(pending.Message.Deliver, pending.Header)));
            }

            try
            {
                _verifier.VerifyAll(items, results);
            }
            catch (ArgumentException ex)
            {
                _logger.LogWarning("A verification batch failed: {Reason}", ex.Message);
                Array.Clear(results);
            }

            var now = Environment.TickCount64;
            for (var i = 0; i < batch.Count; i++)
            {
                var pending = batch[i];
                if (!results[i])
                {
                    Answer(pending, RouteStatus.BadSignature, "the signature does not verify under the sender's key");
                    continue;
                }

                RouteStatus? status;
                string detail;
                if (pending.Message.IsFanOut)
                {
                    status = Router.FanOut(pending.Message, pending.Header.Target, now, out detail);
                }
                else
                {
                    status = Router.Route(pending.Message, pending, now, out detail);
                }

                if (status is { } answered)
                {
                    Send(pending, answered, detail);
                }
            }

            batch.Clear();
            items.Clear();
        }
    }

    // Answers a send the router never saw (counted here).
    private void Answer(PendingSend pending, RouteStatus status, string detail)
    {
        Router.Counters.CountAnswer(status);
        Send(pending, status, detail);
    }

    private void Send(PendingSend pending, RouteStatus status, string detail)
    {
        if (!pending.TryClaimAnswer())
        {
            return;
        }

        if (status == RouteStatus.Delivered)
        {
            LatencyObserved?.Invoke(Stopwatch.GetElapsedTime(pending.Message.ReceivedTimestamp).TotalSeconds);
        }

        var writer = new ArrayBufferWriter<byte>(RouteResultMessage.MaxLength);
        new RouteResultMessage((byte)status, pending.Header.MessageId, detail).WriteTo(writer);
        _ = CompleteQuietlyAsync(pending.Context, pending.Reply, writer.WrittenMemory);
    }

    private static async Task CompleteQuietlyAsync(RequestContext context, DeferredReply reply, ReadOnlyMemory<byte> payload)
    {
        try
        {
            await context.CompleteAsync(reply, MessageType.RouteResult, payload).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The sender is gone; it retries with the same message id when it comes back.
        }
    }

    // ---- Delivery -----------------------------------------------------------------------------

    void IRouterOutput.WakeDelivery(AgentSession session)
    {
        if (((AgentConnection)session.Connection).TryWake())
        {
            StartPump(session);
        }
    }

    private void StartPump(AgentSession session) => _ = Task.Run(() => PumpAsync(session));

    private async Task PumpAsync(AgentSession session)
    {
        var stream = ((AgentConnection)session.Connection).Stream!;
        while (Router.TryTakeForDelivery(session, Environment.TickCount64, out var message))
        {
            bool pushed;
            try
            {
                pushed = await stream.PushAsync(MessageType.RouteDeliver, message!.Deliver, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
                pushed = false;
            }

            if (!pushed)
            {
                Router.DeliveryFailed(message!);
                return;
            }
        }
    }

    void IRouterOutput.Complete(object waiter, RoutedMessage message, RouteStatus status, string detail) => Send((PendingSend)waiter, status, detail);

    void IRouterOutput.Replaced(AgentSession session)
    {
        if (((AgentConnection)session.Connection).Stream is { } stream)
        {
            _ = EndQuietlyAsync(stream);
        }
    }

    private static async Task EndQuietlyAsync(ReplyStream stream)
    {
        try
        {
            await stream.EndAsync(WireErrorCode.Replaced, "the agent logged in again on another connection").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Gone already.
        }
    }

    // ---- Other validators ---------------------------------------------------------------------

    void IRouterOutput.Forward(int node, RoutedMessage message)
    {
        var bytes = MemoryMarshal.TryGetArray(message.Deliver, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : message.Deliver.ToArray();
        _links?.Send(node, MessageType.RouteForward, bytes);
    }

    void IRouterOutput.ForwardResult(int node, DeliveryKey key, RouteStatus status) =>
        _links?.Send(node, MessageType.RouteForwardResult, RouteForwardResultLayout.Write(key.Recipient, key.Message.Sender, key.Message.Id, (byte)status));

    /// <summary>Handles a routing frame from validator <paramref name="from"/>; false for any other type.</summary>
    public bool TryHandleValidator(int from, RequestContext context, in Frame frame)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = frame.Header;
        var now = Environment.TickCount64;
        switch (header.Type)
        {
            case MessageType.RouteForward:
                {
                    var deliver = frame.Payload.ToArray();
                    if (deliver.Length < RouteSendLayout.SenderLength || !RouteSendLayout.TryRead(deliver.AsSpan(RouteSendLayout.SenderLength), out var send, out _))
                    {
                        context.ReplyError(header.CorrelationId, WireErrorCode.MalformedPayload, "RouteForward carries sender id ‖ a send");
                        return true;
                    }

                    var sender = new Hash32(deliver.AsSpan(0, RouteSendLayout.SenderLength));
                    var message = new RoutedMessage(new MessageKey(sender, send.MessageId), send.Target, deliver, send.IsTag, Stopwatch.GetTimestamp());
                    if (send.IsTag)
                    {
                        Router.OnForwardedFanOut(message, send.Target, now);
                    }
                    else
                    {
                        Router.OnForwarded(from, message, now);
                    }

                    return true;
                }

            case MessageType.RouteForwardResult:
                {
                    Span<byte> bytes = stackalloc byte[RouteForwardResultLayout.Length];
                    if (frame.Payload.Length != RouteForwardResultLayout.Length)
                    {
                        context.ReplyError(header.CorrelationId, WireErrorCode.MalformedPayload, $"RouteForwardResult is {RouteForwardResultLayout.Length} bytes");
                        return true;
                    }

                    frame.Payload.CopyTo(bytes);
                    RouteForwardResultLayout.TryRead(bytes, out var recipient, out var sender, out var id, out var status);
                    Router.OnForwardResult(from, new DeliveryKey(recipient, new MessageKey(sender, id)), (RouteStatus)status, now);
                    return true;
                }

            case MessageType.PresenceUpdate:
                {
                    var bytes = frame.Payload.ToArray();
                    if (!PresenceUpdateLayout.TryReadCount(bytes, out var count))
                    {
                        context.ReplyError(header.CorrelationId, WireErrorCode.MalformedPayload, $"PresenceUpdate is a u32 count (1..{PresenceUpdateLayout.MaxEntries}) and that many entries");
                        return true;
                    }

                    for (var i = 0; i < count; i++)
                    {
                        if (PresenceUpdateLayout.TryReadEntry(bytes, i, out var agent, out var present))
                        {
                            Router.OnPresence(from, agent, present, now);
                        }
                    }

                    return true;
                }

            default:
                return false;
        }
    }

    private void Gossip()
    {
        if (_links is null || Interlocked.Exchange(ref _gossiping, 1) != 0)
        {
            return;
        }

        try
        {
            var now = Environment.TickCount64;
            _presenceBatch.Clear();
            Router.TakePresenceChanges(_presenceBatch, PresenceUpdateLayout.MaxEntries * 4, out var refreshAll);
            Broadcast(_presenceBatch);
            if (refreshAll || now - _lastRefreshMs >= _settings.PresenceRefreshMs)
            {
                _lastRefreshMs = now;
                _localAgents.Clear();
                Router.CopyLocalAgents(_localAgents);
                _presenceBatch.Clear();
                foreach (var agent in _localAgents)
                {
                    _presenceBatch.Add((agent, true));
                }

                Broadcast(_presenceBatch);
            }
        }
        finally
        {
            Volatile.Write(ref _gossiping, 0);
        }
    }

    private void Broadcast(List<(Hash32 Agent, bool Present)> entries)
    {
        for (var start = 0; start < entries.Count; start += PresenceUpdateLayout.MaxEntries)
        {
            var bytes = PresenceUpdateLayout.Write(entries, start, Math.Min(PresenceUpdateLayout.MaxEntries, entries.Count - start));
            for (var node = 0; node < _nodeCount; node++)
            {
                if (node != _self)
                {
                    _links!.Send(node, MessageType.PresenceUpdate, bytes);
                }
            }
        }
    }
}
