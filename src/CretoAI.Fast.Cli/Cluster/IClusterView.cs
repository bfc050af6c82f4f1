namespace CretoAI.Fast.Cli.Cluster;

/// <summary>Shows the cluster while it runs: a live terminal view or plain lines.</summary>
internal interface IClusterView
{
    /// <summary>Shows snapshots from <paramref name="snapshot"/> until <paramref name="stop"/> is cancelled, then returns.</summary>
    Task RunAsync(Func<ClusterSnapshot> snapshot, CancellationToken stop);
}
