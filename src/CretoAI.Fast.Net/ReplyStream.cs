using System.IO.Pipelines;
using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Net;

/// <summary>
/// Many frames answering one request (a subscription), pushed by the application from any thread
/// on the connection the request came in on, each with the request's correlation id and the
/// Response flag. Opened with <see cref="RequestContext.TryOpenStream"/>.
/// <para>
/// Backpressure: <see cref="PushAsync"/> takes the connection's write lock, writes one frame and
/// awaits its flush, so a subscriber that reads slowly slows only the loop that pushes to it (and its
/// own connection); nothing queues without bound. A server that must not wait on one subscriber runs
/// one push loop per stream that reads what to send from committed state by height (it falls behind
/// without buffering), or passes a timeout token to <see cref="PushAsync"/> and ends a stream that
/// cannot keep up with <see cref="EndAsync"/> (<see cref="WireErrorCode.SlowConsumer"/>).
/// </para>
/// <para>
/// The stream ends when the application calls <see cref="EndAsync"/> or <see cref="Close"/>, when
/// the client sends an Error frame with its correlation id (a client cancels a subscription so),
/// or when the connection ends. <see cref="Closed"/> is cancelled then, and pushes return false.
/// </para>
/// </summary>
public sealed class ReplyStream
{
    private readonly RequestContext _context;
    private readonly PipeWriter _output;
    private readonly SemaphoreSlim _writeLock;
    private readonly CancellationTokenSource _closed = new();
    private int _isClosed;

    internal ReplyStream(RequestContext context, uint correlationId, PipeWriter output, SemaphoreSlim writeLock)
    {
        _context = context;
        CorrelationId = correlationId;
        _output = output;
        _writeLock = writeLock;
        Closed = _closed.Token;
    }

    /// <summary>The correlation id of the request this stream answers; every pushed frame carries it.</summary>
    public uint CorrelationId { get; }

    /// <summary>Who the stream goes to.</summary>
    public PeerInfo Peer => _context.Peer;

    /// <summary>Cancelled once the stream has ended, for whatever reason.</summary>
    public CancellationToken Closed { get; }

    public bool IsClosed => Volatile.Read(ref _isClosed) != 0;

    /// <summary>Frames pushed so far.</summary>
    public long Pushed => Interlocked.Read(ref _pushed);

    private long _pushed;

    /// <summary>
    /// Writes one frame of <paramref name="type"/> and flushes it. Returns false, sending nothing,
    /// once the stream or the connection has ended. A cancelled wait for the write lock throws
    /// <see cref="OperationCanceledException"/> and sends nothing; a cancelled flush throws too, with
    /// the frame already queued whole on the connection (the stream stays aligned).
    /// </summary>
    public async ValueTask<bool> PushAsync(MessageType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        if (IsClosed)
        {
            return false;
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsClosed)
            {
                return false;
            }

            FrameEncoder.Write(_output, type, FrameFlags.Response, CorrelationId, payload.Span);
            Interlocked.Increment(ref _pushed);
            var flush = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
            _context.CountPushed();
            if (flush.IsCompleted)
            {
                Close();
                return false;
            }

            return true;
        }
        catch (InvalidOperationException)
        {
            // The connection's pipe is already completed.
            Close();
            return false;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Ends the stream with an Error frame carrying its correlation id (for example
    /// <see cref="WireErrorCode.SlowConsumer"/>, or <see cref="WireErrorCode.NotFound"/> for a start
    /// height the node no longer has). The connection stays open. Returns false if the stream had
    /// already ended (nothing is sent then).
    /// </summary>
    public async ValueTask<bool> EndAsync(WireErrorCode code, string message, CancellationToken cancellationToken = default)
    {
        if (IsClosed)
        {
            return false;
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!Close())
            {
                return false;
            }

            FrameEncoder.WriteError(_output, CorrelationId, code, message);
            _context.CountError(code);
            var flush = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return !flush.IsCompleted;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Ends the stream without telling the client (it is gone, or the server drops it). Returns false if it had already ended.</summary>
    public bool Close()
    {
        if (Interlocked.Exchange(ref _isClosed, 1) != 0)
        {
            return false;
        }

        _context.RemoveStream(this);

        // Callbacks on Closed run on the thread pool, never inside a caller's lock.
        _ = _closed.CancelAsync();
        return true;
    }
}
