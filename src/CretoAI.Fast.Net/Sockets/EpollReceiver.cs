using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace CretoAI.Fast.Net.Sockets;

/// <summary>
/// The receive half of a <see cref="SocketPipe"/> on <see cref="EpollEventLoop"/>: each readable
/// event becomes one <c>read</c> into the input pipe and one flush (which, with inline
/// scheduling, runs the connection's frame loop and its reply send on the same thread). A flush
/// that does not complete at once (the reader is behind) takes the socket out of the epoll
/// interest set until the reader catches up: that is the backpressure that fills the peer's TCP
/// window. Every pipe and epoll-state change happens on the loop thread; other threads only post.
/// </summary>
internal sealed class EpollReceiver
{
    private const int ENotConn = 107;
    private const int EConnReset = 104;
    private const int EPipe = 32;
    private const int EBadF = 9;

    private readonly EpollEventLoop _loop;
    private readonly Socket _socket;
    private readonly PipeWriter _writer;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _fd;
    private readonly ulong _token;
    private bool _paused;
    private bool _done;
    private volatile bool _abortRequested;
    private volatile bool _finishRequested;
    private volatile bool _resumeRequested;
    private int _removed;
    private long _bytesReceived;

    public EpollReceiver(EpollEventLoop loop, Socket socket, PipeWriter writer, long busyPollTicks = 0)
    {
        _loop = loop;
        BusyPollTicks = busyPollTicks;
        _socket = socket;
        _writer = writer;
        _fd = (int)socket.SafeHandle.DangerousGetHandle();
        _token = loop.Add(this, _fd);
    }

    public Task Completion => _completion.Task;

    /// <summary>Most time (Stopwatch ticks) the loop may poll after this socket's events; 0: never.</summary>
    public long BusyPollTicks { get; }

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Ends receiving (any thread); call before the socket is closed.</summary>
    public void Abort()
    {
        _abortRequested = true;
        RemoveOnce();
        _loop.Post(this);
    }

    /// <summary>Loop thread: the socket is readable (or at end of stream, or in error).</summary>
    public void OnReadable()
    {
        if (_done || _paused)
        {
            return;
        }

        if (_abortRequested)
        {
            Finish(null);
            return;
        }

        var memory = _writer.GetMemory(8 * 1024);
        nint received;
        var errno = 0;
        var added = false;
        try
        {
            // The reference keeps the descriptor open (and its number unreused) during the read.
            _socket.SafeHandle.DangerousAddRef(ref added);
            received = ReadInto(_fd, memory.Span);

            if (received < 0)
            {
                errno = Marshal.GetLastPInvokeError();
            }
        }
        catch (ObjectDisposedException)
        {
            Finish(null);
            return;
        }
        finally
        {
            if (added)
            {
                _socket.SafeHandle.DangerousRelease();
            }
        }

        if (received > 0)
        {
            Interlocked.Add(ref _bytesReceived, received);
            _writer.Advance((int)received);
            var flush = _writer.FlushAsync();
            if (flush.IsCompletedSuccessfully)
            {
                var result = flush.Result;
                if (result.IsCompleted || result.IsCanceled)
                {
                    Finish(null);
                }
            }
            else
            {
                _paused = true;
                _loop.SetInterest(_fd, _token, wantRead: false);
                _ = ResumeAfterFlushAsync(flush);
            }
        }
        else if (received == 0)
        {
            Finish(null);
        }
        else if (errno is not (LinuxSyscalls.EAgain or LinuxSyscalls.EIntr))
        {
            Finish(errno is EConnReset or ENotConn or EPipe or EBadF ? null : new IOException($"read failed (errno {errno})"));
        }
    }

    private static unsafe nint ReadInto(int fd, Span<byte> span)
    {
        fixed (byte* buffer = span)
        {
            return LinuxSyscalls.Read(fd, buffer, (nuint)span.Length);
        }
    }

    /// <summary>Loop thread: work posted by another thread.</summary>
    public void OnPosted()
    {
        if (_done)
        {
            return;
        }

        if (_abortRequested || _finishRequested)
        {
            Finish(null);
        }
        else if (_resumeRequested)
        {
            _resumeRequested = false;
            _paused = false;
            _loop.SetInterest(_fd, _token, wantRead: true);
        }
    }

    private async Task ResumeAfterFlushAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            var result = await flush.ConfigureAwait(false);
            if (result.IsCompleted || result.IsCanceled)
            {
                _finishRequested = true;
            }
            else
            {
                _resumeRequested = true;
            }
        }
        catch (InvalidOperationException)
        {
            _finishRequested = true;
        }

        _loop.Post(this);
    }

    private void Finish(Exception? error)
    {
        _done = true;
        RemoveOnce();
        _writer.Complete(error);
        _completion.TrySetResult();
    }

    private void RemoveOnce()
    {
        if (Interlocked.Exchange(ref _removed, 1) != 0)
        {
            return;
        }

        var added = false;
        try
        {
            _socket.SafeHandle.DangerousAddRef(ref added);
            _loop.Remove(_fd, _token);
        }
        catch (ObjectDisposedException)
        {
            // Closed already: the kernel dropped it from the epoll set with the descriptor.
            _loop.Remove(-1, _token);
        }
        finally
        {
            if (added)
            {
                _socket.SafeHandle.DangerousRelease();
            }
        }
    }
}
