using System.Net;

namespace CretoAI.Fast.Cli.Cluster;

/// <summary>Asks one node for its status every interval (and reconnects when it is down), for the node table.</summary>
internal sealed class NodePoller
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(1);

    private readonly NodeLink _link;
    private readonly IClusterChild? _child;
    private readonly TimeSpan _interval;
    private NodeSnapshot _latest;

    public NodePoller(NodeLink link, IClusterChild? child, TimeSpan interval)
    {
        _link = link;
        _child = child;
        _interval = interval;
        _latest = Down("starting");
    }

    public NodeSnapshot Latest => Volatile.Read(ref _latest);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            do
            {
                Volatile.Write(ref _latest, await PollOnceAsync(cancellationToken).ConfigureAwait(false));
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    internal async Task<NodeSnapshot> PollOnceAsync(CancellationToken cancellationToken)
    {
        if (_child is { HasExited: true } exited)
        {
            return Down($"exited (code {exited.ExitCode})");
        }

        var client = await _link.ConnectAsync(RequestTimeout, cancellationToken).ConfigureAwait(false);
        if (client is null)
        {
            return Down(_link.LastError);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            var status = await client.StatusAsync(timeout.Token).ConfigureAwait(false);
            return new NodeSnapshot(
                _link.Node.Index,
                Port,
                true,
                status.Height,
                status.Round,
                status.ConnectedValidators,
                status.MempoolTransactions,
                status.StateHash.ToShortString(),
                status.CatchingUp ? "catching up" : string.Empty);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Down("no status answer within 1 s");
        }
        catch (Exception ex) when (ex is Net.WireException or IOException or ObjectDisposedException)
        {
            return Down(ex.Message);
        }
    }

    private int Port => _link.Node.Endpoint is IPEndPoint ip ? ip.Port : 0;

    private NodeSnapshot Down(string why)
    {
        // Keep the last known progress so the row does not go blank while a node restarts.
        var last = Volatile.Read(ref _latest);
        return new NodeSnapshot(_link.Node.Index, Port, false, last?.Height ?? 0, last?.Round ?? 0, 0, 0, last?.StateHash ?? string.Empty, why);
    }
}
