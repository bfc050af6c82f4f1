using System.Diagnostics;
using CretoAI.Fast.Net.Client;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Cli.Cluster;

/// <summary>
/// Follows commits from the height after <c>startHeight</c> through one node's subscription,
/// moving to the next reachable node (from the next height, so nothing is counted twice) when that
/// node goes away. Counts blocks and transactions for the rates and hands each block to the load
/// for its latencies.
/// </summary>
internal sealed class CommitFollower
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(250);

    private readonly IReadOnlyList<NodeLink> _links;
    private readonly ulong _startHeight;
    private readonly ClusterLoad? _load;

    private readonly RateWindow _blockRate = new();
    private readonly RateWindow _transactionRate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _blocks;
    private long _transactions;
    private ulong _height;

    public CommitFollower(IReadOnlyList<NodeLink> links, ulong startHeight, ClusterLoad? load)
    {
        _links = links;
        _startHeight = startHeight;
        _load = load;
        _height = startHeight;
    }

    /// <summary>Highest committed height seen (the start height until the first commit).</summary>
    public ulong Height => Interlocked.Read(ref _height);

    /// <summary>Blocks committed since the start.</summary>
    public long Blocks => Interlocked.Read(ref _blocks);

    /// <summary>Transactions in those blocks.</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    public double BlocksPerSecond => _blockRate.PerSecond(_clock.ElapsedMilliseconds);

    public double TransactionsPerSecond => _transactionRate.PerSecond(_clock.ElapsedMilliseconds);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var next = _startHeight + 1;
        var preferred = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = Pick(ref preferred);
            if (client is not null)
            {
                try
                {
                    await foreach (var block in client.SubscribeAsync(next, cancellationToken).ConfigureAwait(false))
                    {
                        if (block.Height < next)
                        {
                            continue;
                        }

                        next = block.Height + 1;
                        Record(block);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is Net.WireException or IOException or ObjectDisposedException or SubscriptionOverflowException)
                {
                    // That node went away or dropped us: follow another from the same height.
                    preferred++;
                }
            }

            try
            {
                await Task.Delay(Retry, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private NodeClient? Pick(ref int preferred)
    {
        for (var i = 0; i < _links.Count; i++)
        {
            var index = (preferred + i) % _links.Count;
            if (_links[index].Current is { } client)
            {
                preferred = index;
                return client;
            }
        }

        return null;
    }

    private void Record(CommittedBlockMessage block)
    {
        var now = _clock.ElapsedMilliseconds;
        Interlocked.Exchange(ref _height, block.Height);
        Interlocked.Increment(ref _blocks);
        Interlocked.Add(ref _transactions, block.Transactions.Count);
        _blockRate.Add(now, 1);
        _transactionRate.Add(now, block.Transactions.Count);
        _load?.OnCommitted(block);
    }
}
