namespace CretoAI.Fast.Cli.Cluster;

/// <summary>What the live view and the plain status lines show at one instant.</summary>
internal sealed record ClusterSnapshot(
    TimeSpan Elapsed,
    ulong Height,
    double CommitsPerSecond,
    double TransactionsPerSecond,
    double? P50Ms,
    double? P99Ms,
    long Submitted,
    long Accepted,
    long Refused,
    long Failed,
    long CommittedLoad,
    IReadOnlyList<NodeSnapshot> Nodes)
{
    public int NodesUp
    {
        get
        {
            var up = 0;
            foreach (var node in Nodes)
            {
                up += node.Up ? 1 : 0;
            }

            return up;
        }
    }

    /// <summary>The plain status line: <c>t=12s height=34 commits_per_s=2.0 tx_per_s=198.0 p50_ms=850.0 p99_ms=1400.0 nodes_up=4/4 submitted=2400 accepted=2399 refused=1 failed=0</c>.</summary>
    public string ToPlainLine() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"t={Elapsed.TotalSeconds:0}s height={Height} commits_per_s={CommitsPerSecond:0.0} tx_per_s={TransactionsPerSecond:0.0} p50_ms={ClusterSummary.Ms(P50Ms)} p99_ms={ClusterSummary.Ms(P99Ms)} nodes_up={NodesUp}/{Nodes.Count} submitted={Submitted} accepted={Accepted} refused={Refused} failed={Failed}");
}
