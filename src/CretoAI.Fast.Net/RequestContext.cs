using System.Buffers;
using System.IO.Pipelines;
using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Net;

/// <summary>
/// What a <see cref="IRequestHandler"/> sees of one authenticated session: the peer, and the ways
/// to answer it. <see cref="Reply(MessageType, uint, ReadOnlySpan{byte})"/> may be called only
/// inside <see cref="IRequestHandler.TryHandle"/> (it writes into the read batch's replies, sent
/// together at the end of the batch); a deferred reply may be completed from any thread.
/// </summary>
public sealed class RequestContext
{
    private readonly PipeWriter _output;
    private readonly IBufferWriter<byte> _inline;
    private readonly SemaphoreSlim _writeLock;
    private readonly int _maxInFlight;
    private readonly TransportCounters _counters;

    // In-flight table: a generation per slot (odd while the slot holds a request) and a stack of
    // free slots, both fixed-size, guarded by _slotLock. No allocation per deferred request.
    private readonly int[] _generations;
    private readonly int[] _freeSlots;
    private readonly Lock _slotLock = new();
    private int _freeCount;

    // Open reply streams by correlation id, guarded by _slotLock; at most _maxStreams.
    private readonly Dictionary<uint, ReplyStream> _streams = [];
    private readonly int _maxStreams;
    private bool _sessionEnded;

    // output: the connection's output pipe, for replies from other threads (deferred, streams);
    // inline: where replies made inside TryHandle go, sent by the read loop at the end of its batch.
    internal RequestContext(PeerInfo peer, PipeWriter output, IBufferWriter<byte> inline, SemaphoreSlim writeLock, int maxInFlight, TransportCounters counters, int maxStreams = 16)
    {
        Peer = peer;
        _output = output;
        _inline = inline;
        _writeLock = writeLock;
        _maxInFlight = maxInFlight;
        _maxStreams = maxStreams;
        _counters = counters;
        _generations = new int[maxInFlight];
        _freeSlots = new int[maxInFlight];
        for (var i = 0; i < maxInFlight; i++)
        {
            _freeSlots[i] = maxInFlight - 1 - i;
        }

        _freeCount = maxInFlight;
    }

    public PeerInfo Peer { get; }

    /// <summary>Requests accepted with <see cref="TryDefer"/> and not yet answered.</summary>
    public int InFlight
    {
        get
        {
            lock (_slotLock)
            {
                return _maxInFlight - _freeCount;
            }
        }
    }

    /// <summary>Reply streams open on this connection (<see cref="TryOpenStream"/>).</summary>
    public int OpenStreams
    {
        get
        {
            lock (_slotLock)
            {
                return _streams.Count;
            }
        }
    }

    internal int RepliesWritten { get; set; }

    /// <summary>
    /// Opens a stream of replies to the request <paramref name="correlationId"/> (inside
    /// <see cref="IRequestHandler.TryHandle"/> only), to be pushed from any thread with
    /// <see cref="ReplyStream.PushAsync"/>. Streams do not take in-flight slots; a connection may have
    /// at most <see cref="TransportOptions.MaxStreamsPerConnection"/> open. Over that limit, or when the
    /// correlation id already names an open stream, the peer is answered with an error at once and
    /// this returns false.
    /// </summary>
    public bool TryOpenStream(uint correlationId, out ReplyStream? stream)
    {
        lock (_slotLock)
        {
            if (!_sessionEnded && _streams.Count < _maxStreams && !_streams.ContainsKey(correlationId))
            {
                stream = new ReplyStream(this, correlationId, _output, _writeLock);
                _streams.Add(correlationId, stream);
                return true;
            }
        }

        stream = null;
        if (OpenStreamsContains(correlationId))
        {
            ReplyError(correlationId, WireErrorCode.MalformedPayload, $"correlation id {correlationId} already names an open stream on this connection");
        }
        else
        {
            ReplyError(correlationId, WireErrorCode.TooManyInFlight, $"more than {_maxStreams} open streams on this connection");
        }

        return false;
    }

    /// <summary>Ends the stream with <paramref name="correlationId"/> because the peer asked (an Error frame with its id); false if none is open.</summary>
    internal bool CloseStream(uint correlationId)
    {
        ReplyStream? stream;
        lock (_slotLock)
        {
            if (!_streams.TryGetValue(correlationId, out stream))
            {
                return false;
            }
        }

        return stream.Close();
    }

    /// <summary>The session is over: ends every open stream and refuses new ones.</summary>
    internal void EndStreams()
    {
        ReplyStream[] open;
        lock (_slotLock)
        {
            _sessionEnded = true;
            open = [.. _streams.Values];
        }

        foreach (var stream in open)
        {
            stream.Close();
        }
    }

    internal void RemoveStream(ReplyStream stream)
    {
        lock (_slotLock)
        {
            if (_streams.TryGetValue(stream.CorrelationId, out var current) && ReferenceEquals(current, stream))
            {
                _streams.Remove(stream.CorrelationId);
            }
        }
    }

    internal void CountPushed() => _counters.AddFrames(0, 1);

    internal void CountError(WireErrorCode code) => _counters.Error(code);

    private bool OpenStreamsContains(uint correlationId)
    {
        lock (_slotLock)
        {
            return _streams.ContainsKey(correlationId);
        }
    }

    /// <summary>Answers the request now (inside <see cref="IRequestHandler.TryHandle"/> only).</summary>
    public void Reply(MessageType type, uint correlationId, ReadOnlySpan<byte> payload)
    {
        FrameEncoder.Write(_inline, type, FrameFlags.Response, correlationId, payload);
        RepliesWritten++;
    }

    /// <summary>Answers the request now with an error (inside <see cref="IRequestHandler.TryHandle"/> only).</summary>
    public void ReplyError(uint correlationId, WireErrorCode code, string message)
    {
        FrameEncoder.WriteError(_inline, correlationId, code, message);
        _counters.Error(code);
        RepliesWritten++;
    }

    /// <summary>
    /// Accepts the request for a later answer. When the connection already has its maximum of
    /// requests in flight, the peer is answered TooManyInFlight at once and this returns false.
    /// </summary>
    public bool TryDefer(uint correlationId, out DeferredReply reply)
    {
        lock (_slotLock)
        {
            if (_freeCount > 0)
            {
                var slot = _freeSlots[--_freeCount];
                var generation = ++_generations[slot];
                reply = new DeferredReply(correlationId, slot, generation);
                return true;
            }
        }

        ReplyError(correlationId, WireErrorCode.TooManyInFlight, $"more than {_maxInFlight} requests in flight on this connection");
        reply = default;
        return false;
    }

    /// <summary>
    /// Answers a deferred request, from any thread. Returns false if the connection has closed or
    /// this request was already answered (nothing is sent then).
    /// </summary>
    public async ValueTask<bool> CompleteAsync(DeferredReply reply, MessageType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        await CompleteAllAsync([new DeferredAnswer(reply, type, payload)], cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>
    /// Answers several deferred requests with one write and one flush, from any thread: a worker that
    /// finishes many requests of a connection at once sends them together instead of one system call
    /// each. Every answer must name a request deferred on this connection (<see cref="TryDefer"/>);
    /// answers to requests already answered are skipped. Returns how many were sent; 0 when the
    /// connection has closed.
    /// </summary>
    public async ValueTask<int> CompleteAllAsync(IReadOnlyList<DeferredAnswer> answers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(answers);

        // A cancelled wait leaves the requests in flight, so the caller may try again.
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sent = 0;
            foreach (var answer in answers)
            {
                if (Release(answer.Reply))
                {
                    FrameEncoder.Write(_output, answer.Type, FrameFlags.Response, answer.Reply.CorrelationId, answer.Payload.Span);
                    sent++;
                }
            }

            if (sent == 0)
            {
                return 0;
            }

            var written = _output.UnflushedBytes;
            var flush = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
            _counters.AddFrames(0, sent);
            _counters.AddBytes(0, written);
            return flush.IsCompleted ? 0 : sent;
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Frees the reply's slot; false when it was not in use under this generation (answered already, or not from this connection).</summary>
    private bool Release(DeferredReply reply)
    {
        lock (_slotLock)
        {
            if ((uint)reply.Slot >= (uint)_generations.Length || _generations[reply.Slot] != reply.Generation || (reply.Generation & 1) == 0)
            {
                return false;
            }

            _generations[reply.Slot]++;
            _freeSlots[_freeCount++] = reply.Slot;
            return true;
        }
    }
}
