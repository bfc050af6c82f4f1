using System.Diagnostics;
using CretoAI.Fast.Net;
using CretoAI.Fast.Net.Client;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.LoadGen.Modes;

/// <summary>
/// Follows one node's commit subscription (docs/protocol.md §11.8) and hands every transaction entry
/// of every committed block, with the time its notice was read, to <c>onCommitted</c>. All entries
/// are handed over on this one loop, so whatever it records has a single writer. When the
/// subscription ends without the connection ending (the client's buffer overflowed, the node said
/// SlowConsumer), it resubscribes from the first height not yet seen, so no block is missed or seen
/// twice.
/// </summary>
internal sealed class CommitWatcher : IAsyncDisposable
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(100);

    private readonly NodeClient _client;
    private readonly Action<TransactionResultEntry, long> _onCommitted;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private ulong _next;
    private string? _failure;

    public CommitWatcher(NodeClient client, Action<TransactionResultEntry, long> onCommitted)
    {
        _client = client;
        _onCommitted = onCommitted;
    }

    /// <summary>Height of the last committed block seen (the start height - 1 before any).</summary>
    public ulong Height => Interlocked.Read(ref _next) - 1;

    /// <summary>Why the watcher stopped, when it stopped on its own (the connection to its node ended).</summary>
    public string? Failure => Volatile.Read(ref _failure);

    /// <summary>Starts following from <paramref name="fromHeight"/> (at least 1).</summary>
    public void Start(ulong fromHeight)
    {
        _next = fromHeight;
        _loop = Task.Run(RunAsync);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await foreach (var block in _client.SubscribeAsync(Interlocked.Read(ref _next), token).ConfigureAwait(false))
                {
                    if (block.Height < Interlocked.Read(ref _next))
                    {
                        continue;
                    }

                    var received = Stopwatch.GetTimestamp();
                    foreach (var entry in block.Transactions)
                    {
                        _onCommitted(entry, received);
                    }

                    Interlocked.Exchange(ref _next, block.Height + 1);
                }

                // The stream ended quietly: this client was disposed.
                return;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WireException or IOException or ObjectDisposedException or SubscriptionOverflowException)
            {
                if (!_client.IsConnected)
                {
                    Volatile.Write(ref _failure, $"the commit subscription to {_client.EndPoint} ended: {ex.Message}");
                    return;
                }
            }

            try
            {
                await Task.Delay(Retry, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
