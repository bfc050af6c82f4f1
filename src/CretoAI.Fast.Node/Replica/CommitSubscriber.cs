using CretoAI.Fast.Net;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// One client's commit subscription. It holds no queue: a pump walks heights from the requested
/// one up to the node's committed height, reading each block's notice from memory (recent) or the
/// archive, and sleeps until the next commit wakes it. A slow client only slows its own pump
/// (each push waits for its flush), and memory does not grow with its backlog.
/// </summary>
internal sealed class CommitSubscriber
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _closed = new();
    private readonly ReplyStream _stream;
    private readonly Func<ulong, CommittedBlockMessage?> _read;
    private readonly Func<ulong> _height;
    private ulong _next;

    public CommitSubscriber(ReplyStream stream, ulong fromHeight, Func<ulong, CommittedBlockMessage?> read, Func<ulong> height)
    {
        _stream = stream;
        _read = read;
        _height = height;
        _next = Math.Max(1, fromHeight);
    }

    /// <summary>Wakes the pump after a commit (never blocks).</summary>
    public void Offer()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already awake.
            }
        }
    }

    public void Close() => _closed.Cancel();

    public async Task PumpAsync(CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _closed.Token, _stream.Closed);
        var token = linked.Token;
        var writer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        try
        {
            while (!token.IsCancellationRequested)
            {
                while (_next <= _height())
                {
                    if (_read(_next) is not { } message)
                    {
                        break;
                    }

                    writer.ResetWrittenCount();
                    message.WriteTo(writer);
                    if (!await _stream.PushAsync(MessageType.CommitNotice, writer.WrittenMemory, token).ConfigureAwait(false))
                    {
                        return;
                    }

                    _next++;
                }

                await _wake.WaitAsync(TimeSpan.FromSeconds(1), token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Node stopping or subscriber gone.
        }
        finally
        {
            _stream.Close();
        }
    }
}
