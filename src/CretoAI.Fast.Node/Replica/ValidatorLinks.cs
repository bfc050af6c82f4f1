using System.Buffers;
using System.Net;
using System.Threading.Channels;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Handshake;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// This node's outgoing connections to the other validators, one per configured peer address,
/// kept up with reconnection and backoff. Consensus messages to validator i go out on the link to
/// i (each peer hears us on the link we dialled; we hear it on the one it dialled to our server).
/// Sync requests go out on a link and their responses come back on it.
/// </summary>
/// <remarks>
/// Each link has one bounded send queue drained by one writer that encodes every queued frame
/// and flushes once per drain, so a burst costs one send call, not one per frame. A full queue
/// drops the oldest message: consensus recovers lost messages through timeouts, and a slow peer
/// must never grow our memory. A queued payload is a <see cref="SharedPayload"/>: a broadcast is
/// one copy referenced by every queue, released by each link once its writer copied it into the
/// connection's pipe (or its queue dropped it).
/// </remarks>
internal sealed class ValidatorLinks : IAsyncDisposable
{
    private const int QueueCapacity = 4096;

    private readonly ValidatorSet _validators;
    private readonly int _me;
    private readonly ClientOptions _options;
    private readonly IMessageSigner _identity;
    private readonly ILogger _logger;
    private readonly Link[] _byIndex;
    private readonly List<Link> _all = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Action<int, MessageType, uint, byte[]> _onResponse;
    private readonly Action<int>? _onLinkUp;
    private readonly Action<int>? _onLinkDown;

    /// <summary>
    /// Links to <paramref name="peers"/>. <paramref name="onResponse"/> gets each frame a peer sends
    /// back on our link (sync responses). <paramref name="onLinkUp"/> gets a validator's index each
    /// time our link to it completes its handshake: what was sent to that validator while the link
    /// was down was not queued (<see cref="Send(int, MessageType, uint, SharedPayload)"/> returned
    /// false), so the caller may send again what still matters. <paramref name="onLinkDown"/> gets it
    /// when that link goes down, so the caller stops waiting for answers on it.
    /// </summary>
    public ValidatorLinks(ValidatorSet validators, int me, IReadOnlyList<EndPoint> peers, Hash32 chainId, int maxPayload, IMessageSigner identity, ILogger logger, Action<int, MessageType, uint, byte[]> onResponse, Action<int>? onLinkUp = null, Action<int>? onLinkDown = null)
    {
        _onLinkUp = onLinkUp;
        _onLinkDown = onLinkDown;
        _validators = validators;
        _me = me;
        _identity = identity;
        _logger = logger;
        _onResponse = onResponse;
        _byIndex = new Link[validators.Count];
        _options = new ClientOptions { ChainId = chainId, Role = PeerRole.Validator, MaxPayloadLength = maxPayload, ConnectTimeout = TimeSpan.FromSeconds(3), InlineScheduling = false };
        foreach (var peer in peers)
        {
            _all.Add(new Link(this, peer));
        }
    }

    /// <summary>Links with a completed handshake.</summary>
    public int Connected => _byIndex.Count(l => l is not null && l.IsUp);

    /// <summary>Validator indexes currently reachable.</summary>
    public IEnumerable<int> ConnectedIndexes
    {
        get
        {
            for (var i = 0; i < _byIndex.Length; i++)
            {
                if (_byIndex[i] is { IsUp: true })
                {
                    yield return i;
                }
            }
        }
    }

    public long Dropped => _all.Sum(l => l.Dropped) + Interlocked.Read(ref _oversized);

    private long _oversized;

    public void Start()
    {
        foreach (var link in _all)
        {
            link.Run = Task.Run(() => link.RunAsync(_stopping.Token));
        }
    }

    /// <summary>
    /// Queues one frame for validator <paramref name="index"/>; false when there is no live link to it
    /// or the payload is over the frame limit (a peer closes a link that carries an oversized frame,
    /// which would lose everything queued behind it).
    /// </summary>
    public bool Send(int index, MessageType type, uint correlationId, byte[] payload) =>
        Send(index, type, correlationId, SharedPayload.Of(payload));

    /// <summary>
    /// Queues one frame for validator <paramref name="index"/>, taking a reference to
    /// <paramref name="payload"/> when it is queued; the caller keeps (and releases) its own.
    /// </summary>
    public bool Send(int index, MessageType type, uint correlationId, SharedPayload payload)
    {
        if ((uint)index >= (uint)_byIndex.Length || _byIndex[index] is not { IsUp: true } link)
        {
            return false;
        }

        if (payload.Length > _options.MaxPayloadLength)
        {
            Interlocked.Increment(ref _oversized);
            _logger.LogWarning("Not sending a {Type} frame of {Bytes} bytes to validator {Index}: it is over max_frame_payload_bytes ({Limit}).", type, payload.Length, index, _options.MaxPayloadLength);
            return false;
        }

        link.Enqueue(type, correlationId, payload);
        return true;
    }

    /// <summary>
    /// Queues one frame for every other validator; each queue takes its own reference to
    /// <paramref name="payload"/>. Returns how many were queued (the others' links are down).
    /// </summary>
    public int Broadcast(MessageType type, SharedPayload payload)
    {
        var queued = 0;
        for (var i = 0; i < _byIndex.Length; i++)
        {
            if (i != _me && Send(i, type, 0, payload))
            {
                queued++;
            }
        }

        return queued;
    }

    private void NotifyLinkUp(int index) => Notify(_onLinkUp, index, "up");

    private void NotifyLinkDown(int index) => Notify(_onLinkDown, index, "down");

    private void Notify(Action<int>? callback, int index, string what)
    {
        try
        {
            callback?.Invoke(index);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
        {
            // The node is stopping; the link goes on (or stops with it) regardless.
            _logger.LogDebug("Link-{What} notice for validator {Index} not delivered: {Message}", what, index, ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var link in _all)
        {
            if (link.Run is { } run)
            {
                try
                {
                    await run.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    _logger.LogWarning("Validator link to {Peer} did not stop within 5 s.", link.Endpoint);
                }
            }
        }

        _stopping.Dispose();
    }

    private sealed class Link(ValidatorLinks owner, EndPoint endpoint)
    {
        private readonly Channel<(MessageType Type, uint Correlation, SharedPayload Payload)> _queue =
            Channel.CreateBounded<(MessageType Type, uint Correlation, SharedPayload Payload)>(
                new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
                static dropped => dropped.Payload.Release());

        private long _dropped;
        private volatile bool _up;

        public EndPoint Endpoint { get; } = endpoint;

        public Task? Run { get; set; }

        public bool IsUp => _up;

        public long Dropped => Interlocked.Read(ref _dropped);

        public void Enqueue(MessageType type, uint correlation, SharedPayload payload)
        {
            if (_queue.Reader.Count >= QueueCapacity)
            {
                Interlocked.Increment(ref _dropped);
            }

            payload.AddReference();
            if (!_queue.Writer.TryWrite((type, correlation, payload)))
            {
                payload.Release(); // the queue was completed; never the case while the node runs
            }
        }

        public async Task RunAsync(CancellationToken stopping)
        {
            var backoff = TimeSpan.FromMilliseconds(100);
            var reportedDown = false;
            while (!stopping.IsCancellationRequested)
            {
                FrameClient? client = null;
                var upAs = -1;
                try
                {
                    client = await FrameClient.ConnectAsync(Endpoint, owner._options, owner._identity, MLDsa87SignatureVerifier.Instance, stopping).ConfigureAwait(false);
                    var index = owner._validators.IndexOf(client.Server.Id);
                    if (index < 0 || index == owner._me)
                    {
                        owner._logger.LogError("Peer {Peer} authenticated as {Id}, which is not another validator of this chain; not linking to it (check 'peers' in the config).", Endpoint, client.Server.Id.ToShortString());
                        await client.DisposeAsync().ConfigureAwait(false);
                        await Task.Delay(TimeSpan.FromSeconds(10), stopping).ConfigureAwait(false);
                        continue;
                    }

                    owner._byIndex[index] = this;
                    _up = true;
                    upAs = index;
                    backoff = TimeSpan.FromMilliseconds(100);
                    owner._logger.LogInformation("Validator link up: {Peer} is validator {Index}.", Endpoint, index);
                    reportedDown = false;
                    owner.NotifyLinkUp(index);
                    using var linkDown = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    var reader = ReadAsync(client, index, linkDown);
                    var writer = WriteAsync(client, linkDown.Token);
                    await Task.WhenAny(reader, writer).ConfigureAwait(false);
                    await linkDown.CancelAsync().ConfigureAwait(false);
                    await Task.WhenAll(Quiet(reader), Quiet(writer)).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex) when (ex is WireException or IOException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException)
                {
                    if (!reportedDown)
                    {
                        owner._logger.LogWarning("Validator link to {Peer} is down: {Reason}. Retrying with backoff.", Endpoint, ex.Message);
                        reportedDown = true;
                    }
                }
                finally
                {
                    _up = false;
                    if (upAs >= 0)
                    {
                        owner.NotifyLinkDown(upAs);
                    }

                    if (client is not null)
                    {
                        await client.DisposeAsync().ConfigureAwait(false);
                    }
                }

                try
                {
                    await Task.Delay(backoff, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 2000));
            }
        }

        private static async Task Quiet(Task task)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or WireException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                // The link is being torn down; the reason was already logged.
            }
        }

        private async Task WriteAsync(FrameClient client, CancellationToken down)
        {
            var reader = _queue.Reader;
            while (await reader.WaitToReadAsync(down).ConfigureAwait(false))
            {
                var frames = 0;
                while (frames < 256 && reader.TryRead(out var item))
                {
                    try
                    {
                        FrameEncoder.Write(client.Output, item.Type, FrameFlags.None, item.Correlation, item.Payload.Span);
                    }
                    finally
                    {
                        item.Payload.Release();
                    }

                    frames++;
                }

                var flush = await client.Output.FlushAsync(down).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    return;
                }
            }
        }

        private async Task ReadAsync(FrameClient client, int index, CancellationTokenSource down)
        {
            var input = client.Input;
            while (true)
            {
                var result = await input.ReadAsync(down.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (true)
                {
                    var status = client.Decoder.TryDecode(ref buffer, out var frame, out var error);
                    if (status == DecodeStatus.Frame)
                    {
                        var header = frame.Header;
                        if (header.Type == MessageType.Error)
                        {
                            owner._logger.LogWarning("Validator {Index} sent an error on our link: {Error}", index, HandshakeErrorText(frame.Payload));
                            continue;
                        }

                        owner._onResponse(index, header.Type, header.CorrelationId, frame.Payload.ToArray());
                        continue;
                    }

                    if (status == DecodeStatus.Error)
                    {
                        throw new WireException(error, $"malformed frame from validator {index}");
                    }

                    break;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    throw new IOException($"validator {index} closed the link");
                }
            }
        }

        private static string HandshakeErrorText(ReadOnlySequence<byte> payload) =>
            ErrorPayload.TryRead(payload, out var code, out var message) == WireErrorCode.None ? $"{code}: {message}" : "unreadable error frame";
    }
}
