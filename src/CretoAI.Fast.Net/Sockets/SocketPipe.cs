using System.IO.Pipelines;
using System.Net.Sockets;

namespace CretoAI.Fast.Net.Sockets;

/// <summary>
/// Joins a connected socket to two pipes: a receive loop fills <see cref="Input"/> straight from
/// the socket, a send loop drains <see cref="Output"/> to it. Each loop makes one system call per
/// available buffer, never one per frame: a reader that parses every complete frame in a read and
/// a writer that flushes once per batch therefore coalesce many frames per syscall. Backpressure
/// comes from the pipes' pause thresholds: a slow consumer stops the receive loop, which stops
/// reading the socket, which fills the peer's TCP window.
/// <para>
/// A writer that owns the output side for a moment (the server's read loop, under its write lock)
/// may also send around the pipe with <see cref="TrySendDirect"/>: one <c>send(2)</c> on its own
/// thread, without a flush and a send-loop turn, as long as nothing it wrote earlier is still
/// queued in the pipe. What the kernel does not take then goes through the pipe as before.
/// </para>
/// </summary>
public sealed class SocketPipe : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly QueuedBytesWriter _outputWriter;
    private readonly Task _receiving;
    private readonly Task _sending;
    private readonly EpollReceiver? _nativeReceiver;
    private int _disposed;

    // nativeReceive: receive through our own epoll loop (EpollReceiver) where the platform
    // allows it (LinuxSyscalls.IsSupported); otherwise, and when false, through ReceiveAsync.
    // busyPollMicroseconds: how long that loop may poll after this socket's events (0: never).
    public SocketPipe(Socket socket, int maxFrameLength, bool inlineScheduling, bool nativeReceive = false, int busyPollMicroseconds = 0)
    {
        _socket = socket;
        _socket.NoDelay = true;

        // Sends are tried synchronously first (TrySendNow); async receives are unaffected.
        _socket.Blocking = false;

        // The input pipe must be able to hold one whole frame of the largest allowed size, or the
        // receive loop would pause before the reader could ever see that frame complete.
        var inputPause = Math.Max(256 * 1024, 2L * maxFrameLength);
        var scheduler = inlineScheduling ? PipeScheduler.Inline : PipeScheduler.ThreadPool;
        _input = new Pipe(new PipeOptions(
            pool: SegmentPool.Pipes,
            readerScheduler: scheduler,
            writerScheduler: scheduler,
            pauseWriterThreshold: inputPause,
            resumeWriterThreshold: inputPause / 2,
            minimumSegmentSize: SegmentPool.BlockSize,
            useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(
            pool: SegmentPool.Pipes,
            readerScheduler: scheduler,
            writerScheduler: scheduler,
            pauseWriterThreshold: Math.Max(1024 * 1024, 2L * maxFrameLength),
            resumeWriterThreshold: Math.Max(512 * 1024, maxFrameLength),
            minimumSegmentSize: SegmentPool.BlockSize,
            useSynchronizationContext: false));

        _outputWriter = new QueuedBytesWriter(_output.Writer);
        if (nativeReceive && LinuxSyscalls.IsSupported)
        {
            var busyPollTicks = busyPollMicroseconds * System.Diagnostics.Stopwatch.Frequency / 1_000_000;
            _nativeReceiver = new EpollReceiver(EpollEventLoop.Next(), socket, _input.Writer, busyPollTicks);
            _receiving = _nativeReceiver.Completion;
        }
        else
        {
            _receiving = ReceiveLoopAsync();
        }

        _sending = SendLoopAsync();
    }

    public PipeReader Input => _input.Reader;

    public PipeWriter Output => _outputWriter;

    public System.Net.EndPoint? RemoteEndPoint => _socket.RemoteEndPoint;

    /// <summary>Bytes received from the socket so far.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived) + (_nativeReceiver?.BytesReceived ?? 0);

    /// <summary>True when this pipe receives through <see cref="EpollEventLoop"/>.</summary>
    public bool UsesNativeReceive => _nativeReceiver is not null;

    /// <summary>Bytes written to the socket so far.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    private long _bytesReceived;
    private long _bytesSent;

    /// <summary>Completes when both loops have ended (peer closed, error, or <see cref="Abort"/>).</summary>
    public Task Completion => Task.WhenAll(_receiving, _sending);

    /// <summary>Closes the socket at once; pending reads and writes end.</summary>
    public void Abort()
    {
        // Before the close: the receiver must leave the epoll set while the descriptor is ours.
        _nativeReceiver?.Abort();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already closed by the peer.
        }
        catch (ObjectDisposedException)
        {
            // Already disposed.
        }

        _socket.Close();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _input.Reader.CompleteAsync().ConfigureAwait(false);
        await _outputWriter.CompleteAsync().ConfigureAwait(false);

        // Give the send loop a moment to drain what was written (e.g. a final error frame).
        await Task.WhenAny(_sending, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        Abort();
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Loop failures were already reported to the pipes.
        }

        _socket.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        await Task.Yield();
        var writer = _input.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(8 * 1024);
                var received = await _socket.ReceiveAsync(memory, SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                {
                    break;
                }

                Interlocked.Add(ref _bytesReceived, received);
                writer.Advance(received);
                var flush = await writer.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (SocketException ex) when (IsConnectionEnd(ex.SocketErrorCode))
        {
            // Peer reset or we aborted: a normal end of the stream.
        }
        catch (ObjectDisposedException)
        {
            // Aborted locally.
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            await writer.CompleteAsync(error).ConfigureAwait(false);
        }
    }

    private async Task SendLoopAsync()
    {
        await Task.Yield();
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    if (!buffer.IsEmpty)
                    {
                        foreach (var segment in buffer)
                        {
                            var remaining = segment;
                            while (!remaining.IsEmpty)
                            {
                                // Most replies fit the socket's send buffer: one plain send(2)
                                // on this thread. Only a full buffer waits through SendAsync.
                                var sent = TrySendNow(remaining.Span);
                                if (sent == 0)
                                {
                                    sent = await _socket.SendAsync(remaining, SocketFlags.None).ConfigureAwait(false);
                                }

                                Interlocked.Add(ref _bytesSent, sent);
                                _outputWriter.Sent(sent);
                                remaining = remaining[sent..];
                            }
                        }
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.End);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }

            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException ex) when (IsConnectionEnd(ex.SocketErrorCode))
        {
            // The peer went away; nothing more can be sent.
        }
        catch (ObjectDisposedException)
        {
            // Aborted locally.
        }
        catch (InvalidOperationException)
        {
            // The reader was completed by DisposeAsync while we were waiting.
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends <paramref name="bytes"/> straight to the socket, ahead of the send loop, when nothing
    /// written to <see cref="Output"/> is still waiting to be sent: one non-blocking <c>send(2)</c>
    /// on the calling thread. Returns how many bytes the kernel took — all of them, some (its send
    /// buffer filled up), or none (bytes still queued in the pipe, a full buffer, or a broken
    /// connection). The caller writes the rest to <see cref="Output"/> and flushes it there, where
    /// the send loop waits for room and reports a broken connection as before.
    /// <para>
    /// The caller must be the only writer of <see cref="Output"/> for the duration (the server
    /// calls it under its connection's write lock): the check that nothing is queued holds only
    /// while nobody else can queue more.
    /// </para>
    /// </summary>
    public int TrySendDirect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || _outputWriter.Queued != 0 || Volatile.Read(ref _disposed) != 0)
        {
            return 0;
        }

        int sent;
        if (LinuxSyscalls.IsSupported)
        {
            sent = SendNative(bytes);
        }
        else
        {
            sent = _socket.Send(bytes, SocketFlags.None, out var error);
            if (error != SocketError.Success)
            {
                sent = 0;
            }
        }

        if (sent > 0)
        {
            Interlocked.Add(ref _bytesSent, sent);
        }

        return sent;
    }

    // send(2) without the socket engine's bookkeeping; any failure is left to the send loop.
    private unsafe int SendNative(ReadOnlySpan<byte> bytes)
    {
        var handle = _socket.SafeHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            nint sent;
            fixed (byte* pointer = bytes)
            {
                sent = LinuxSyscalls.Send((int)handle.DangerousGetHandle(), pointer, (nuint)bytes.Length, LinuxSyscalls.MsgDontWait | LinuxSyscalls.MsgNoSignal);
            }

            return sent > 0 ? (int)sent : 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// One non-blocking send(2): the bytes the kernel took, or 0 when its send buffer is full.
    /// Skips the socket engine's operation queue and lock that SendAsync goes through even when
    /// it completes at once.
    /// </summary>
    private int TrySendNow(ReadOnlySpan<byte> bytes)
    {
        var sent = _socket.Send(bytes, SocketFlags.None, out var error);
        return error switch
        {
            SocketError.Success => sent,
            SocketError.WouldBlock => 0,
            _ => throw new SocketException((int)error),
        };
    }

    private static bool IsConnectionEnd(SocketError error) =>
        error is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown
            or SocketError.OperationAborted or SocketError.Interrupted or SocketError.NotConnected or SocketError.Disconnecting;
}
