using System.IO.Pipelines;

namespace CretoAI.Fast.Net.Sockets;

/// <summary>
/// The writer of a <see cref="SocketPipe"/>'s output pipe, as its users see it: the pipe's own
/// writer, plus a count of the bytes it has committed (flushed or completed) that the send loop
/// has not yet handed to the kernel. <see cref="SocketPipe.TrySendDirect"/> sends around the pipe
/// only while that count is zero, so a direct send can never overtake bytes still in the pipe.
/// </summary>
internal sealed class QueuedBytesWriter : PipeWriter
{
    private readonly PipeWriter _inner;
    private long _queued;

    public QueuedBytesWriter(PipeWriter inner)
    {
        _inner = inner;
    }

    /// <summary>Bytes committed to the pipe and not yet sent.</summary>
    public long Queued => Volatile.Read(ref _queued);

    public override bool CanGetUnflushedBytes => _inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => _inner.UnflushedBytes;

    /// <summary>The send loop handed <paramref name="bytes"/> of them to the kernel.</summary>
    public void Sent(int bytes) => Interlocked.Add(ref _queued, -bytes);

    public override void Advance(int bytes) => _inner.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => _inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _inner.GetSpan(sizeHint);

    public override void CancelPendingFlush() => _inner.CancelPendingFlush();

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        // Counted before the flush: with inline scheduling the send loop runs (and subtracts)
        // inside it.
        Commit();
        return _inner.FlushAsync(cancellationToken);
    }

    public override void Complete(Exception? exception = null)
    {
        Commit();
        _inner.Complete(exception);
    }

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        Commit();
        return _inner.CompleteAsync(exception);
    }

    private void Commit()
    {
        try
        {
            var unflushed = _inner.UnflushedBytes;
            if (unflushed > 0)
            {
                Interlocked.Add(ref _queued, unflushed);
            }
        }
        catch (InvalidOperationException)
        {
            // Completed already: nothing more reaches the send loop.
        }
    }
}
