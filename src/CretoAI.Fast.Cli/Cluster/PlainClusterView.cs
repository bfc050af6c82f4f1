namespace CretoAI.Fast.Cli.Cluster;

/// <summary>One plain status line per interval (default 1 s), for CI logs, pipes and tests.</summary>
internal sealed class PlainClusterView(TextWriter output, TimeSpan? interval = null) : IClusterView
{
    public async Task RunAsync(Func<ClusterSnapshot> snapshot, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval ?? TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                await output.WriteLineAsync(snapshot().ToPlainLine()).ConfigureAwait(false);
                await output.FlushAsync(stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }
}
