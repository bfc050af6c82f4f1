using System.IO.Pipelines;
using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Net;

/// <summary>
/// What a <see cref="IRequestHandler"/> sees of one authenticated session: the peer, and the ways
/// to answer it. <see cref="Reply(MessageType, uint, ReadOnlySpan{byte})"/> may be called only
/// inside <see cref="IRequestHandler.TryHandle"/> (it writes into the read batch's output, flushed
/// once at the end of the batch); a deferred reply may be completed from any thread.
/// </summary>
public sealed class RequestContext
{
    private readonly PipeWriter _output;
    private readonly SemaphoreSlim _writeLock;
    private readonly int _maxInFlight;
    private readonly TransportCounters _counters;
    private int _inFlight;

    internal RequestContext(PeerInfo peer, PipeWriter output, SemaphoreSlim writeLock, int maxInFlight, TransportCounters counters)
    {
        Peer = peer;
        _output = output;
        _writeLock = writeLock;
        _maxInFlight = maxInFlight;
        _counters = counters;
    }

    public PeerInfo Peer { get; }

    /// <summary>Requests accepted with <see cref="TryDefer"/> and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    internal int RepliesWritten { get; set; }

    /// <summary>Answers the request now (inside <see cref="IRequestHandler.TryHandle"/> only).</summary>
    public void Reply(MessageType type, uint correlationId, ReadOnlySpan<byte> payload)
    {
        FrameEncoder.Write(_output, type, FrameFlags.Response, correlationId, payload);
        RepliesWritten++;
    }

    /// <summary>Answers the request now with an error (inside <see cref="IRequestHandler.TryHandle"/> only).</summary>
    public void ReplyError(uint correlationId, WireErrorCode code, string message)
    {
        FrameEncoder.WriteError(_output, correlationId, code, message);
        _counters.Error(code);
        RepliesWritten++;
    }

    /// <summary>
    /// Accepts the request for a later answer. When the connection already has its maximum of
    /// requests in flight, the peer is answered TooManyInFlight at once and this returns false.
    /// </summary>
    public bool TryDefer(uint correlationId, out DeferredReply reply)
    {
        if (Interlocked.Increment(ref _inFlight) > _maxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            ReplyError(correlationId, WireErrorCode.TooManyInFlight, $"more than {_maxInFlight} requests in flight on this connection");
            reply = default;
            return false;
        }

        reply = new DeferredReply(correlationId);
        return true;
    }

    /// <summary>Answers a deferred request, from any thread. Returns false if the connection has closed.</summary>
    public async ValueTask<bool> CompleteAsync(DeferredReply reply, MessageType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            FrameEncoder.Write(_output, type, FrameFlags.Response, reply.CorrelationId, payload.Span);
            var flush = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
            _counters.AddFrames(0, 1);
            return !flush.IsCompleted;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            _writeLock.Release();
        }
    }
}
