namespace CretoAI.Fast.Cli.Cluster;

/// <summary>What <c>cluster up</c> was asked to do (docs/operations.md, "cluster up").</summary>
/// <param name="Validators">Validators of a new testnet; an existing one keeps its own count.</param>
/// <param name="Directory">Where the testnet lives (configs, keys, data, logs); kept between runs.</param>
/// <param name="BasePort">Node i listens on 127.0.0.1:(BasePort + i) unless its config says otherwise.</param>
/// <param name="Rate">Offered load, transactions per second, open loop (sent on schedule whatever the replies).</param>
/// <param name="Agents">Load agents, each a fresh ML-DSA-87 key with its own nonces.</param>
/// <param name="Duration">Stop by itself after this long; null runs until Ctrl-C or SIGTERM.</param>
/// <param name="Load">False for --no-load: start and watch the cluster only.</param>
/// <param name="Plain">One plain status line per second instead of the live view.</param>
internal sealed record ClusterSettings(
    int Validators,
    string Directory,
    int BasePort,
    double Rate,
    int Agents,
    TimeSpan? Duration,
    bool Load,
    bool Plain)
{
    /// <summary>How long a node has to answer a status request after it was started.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long nodes get to exit after SIGTERM before they are killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the node table is refreshed (status requests).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}
