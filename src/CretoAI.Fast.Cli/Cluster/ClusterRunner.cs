using System.Diagnostics;
using System.Net.Sockets;
using CretoAI.Fast.Cli.Client;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Node.Settings;

namespace CretoAI.Fast.Cli.Cluster;

/// <summary>
/// <c>cluster up</c> from start to summary: create the testnet if the directory has none, start one
/// <c>node run</c> per validator, wait until each answers status, offer the load, show progress,
/// and on stop (Ctrl-C, SIGTERM, or the duration) stop the load, SIGTERM every node, wait (then
/// kill), and print the summary line. Testnets and processes come from an <see cref="IClusterHost"/>.
/// </summary>
internal sealed class ClusterRunner(ClusterSettings settings, IClusterHost host, IClusterView view, TextWriter output, TextWriter error)
{
    /// <summary>Runs the cluster until <paramref name="stop"/> is cancelled or the duration ends; returns the exit code.</summary>
    public async Task<int> RunAsync(CancellationToken stop)
    {
        var directory = Path.GetFullPath(settings.Directory);
        await EnsureTestnetAsync(directory).ConfigureAwait(false);
        var nodes = ClusterLayout.Load(directory, settings.BasePort);
        await RefuseBusyPortsAsync(nodes, stop).ConfigureAwait(false);

        using var identity = MLDsa87Signer.Generate();
        var links = nodes.Select(node => new NodeLink(node, identity)).ToArray();
        var children = new List<IClusterChild>();
        ClusterSummary summary;
        long blocks;
        try
        {
            foreach (var node in nodes)
            {
                var child = host.StartNode(ClusterLayout.RunArguments(node), node.LogPath);
                children.Add(child);
                await output.WriteLineAsync($"node {node.Index}: pid {child.Id}, {node.Endpoint}, log {node.LogPath}").ConfigureAwait(false);
            }

            var startHeight = await WaitUntilReadyAsync(links, children, stop).ConfigureAwait(false);
            await output.WriteLineAsync($"cluster: {nodes.Count} validators answering on {string.Join(", ", nodes.Select(n => n.Endpoint.ToString()))}; chain {links[0].Current?.ChainId.ToShortString()}; height {startHeight}").ConfigureAwait(false);
            (summary, blocks) = await RunLoadAndViewAsync(links, children, startHeight, stop).ConfigureAwait(false);
        }
        finally
        {
            foreach (var link in links)
            {
                await link.DisposeAsync().ConfigureAwait(false);
            }

            await StopChildrenAsync(nodes, children).ConfigureAwait(false);
        }

        await output.WriteLineAsync(summary.ToString()).ConfigureAwait(false);
        if (settings.Duration is { } duration && blocks == 0)
        {
            await error.WriteLineAsync($"error: no block was committed in {duration.TotalSeconds:0.#} s; see the node logs in {directory}/node*/{ClusterLayout.LogFileName}").ConfigureAwait(false);
            return ClientCommandAction.Failed;
        }

        return 0;
    }

    private async Task<(ClusterSummary Summary, long Blocks)> RunLoadAndViewAsync(NodeLink[] links, List<IClusterChild> children, ulong startHeight, CancellationToken stop)
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var latencies = new CommitLatencies();
        var load = settings.Load ? new ClusterLoad(links, settings.Agents, settings.Rate, latencies) : null;
        var follower = new CommitFollower(links, startHeight, load);
        var pollers = links.Select((link, i) => new NodePoller(link, children[i], settings.PollInterval)).ToArray();
        var clock = Stopwatch.StartNew();

        var background = new List<Task> { follower.RunAsync(running.Token) };
        background.AddRange(pollers.Select(p => p.RunAsync(running.Token)));
        if (load is not null)
        {
            await load.PrepareAsync(output, running.Token).ConfigureAwait(false);
            await output.WriteLineAsync($"load: {settings.Rate:0.#} tx/s open loop from {settings.Agents} agents over {links.Length} nodes").ConfigureAwait(false);
            background.Add(load.RunAsync(running.Token));
        }

        if (settings.Duration is { } duration)
        {
            running.CancelAfter(duration);
        }

        ClusterSnapshot Snapshot() => new(
            clock.Elapsed,
            Math.Max(follower.Height, pollers.Max(p => p.Latest.Height)),
            follower.BlocksPerSecond,
            follower.TransactionsPerSecond,
            latencies.PercentileMs(50),
            latencies.PercentileMs(99),
            load?.Submitted ?? 0,
            load?.Accepted ?? 0,
            load?.Refused ?? 0,
            load?.Failed ?? 0,
            load?.Committed ?? 0,
            [.. pollers.Select(p => p.Latest)]);

        await view.RunAsync(Snapshot, running.Token).ConfigureAwait(false);
        await running.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(background).ConfigureAwait(false);

        var seconds = clock.Elapsed.TotalSeconds;
        return (new ClusterSummary(Math.Max(follower.Height, startHeight), follower.Transactions, seconds, latencies.PercentileMs(50), latencies.PercentileMs(99)), follower.Blocks);
    }

    private async Task EnsureTestnetAsync(string directory)
    {
        var existing = TestnetDirectory.CountNodes(directory);
        if (existing > 0)
        {
            if (existing != settings.Validators)
            {
                await output.WriteLineAsync($"cluster: using the existing {existing}-validator testnet in {directory}").ConfigureAwait(false);
            }

            return;
        }

        await output.WriteLineAsync($"cluster: no testnet in {directory}; creating {settings.Validators} validators (testnet init)").ConfigureAwait(false);
        try
        {
            host.CreateTestnet(directory, settings.Validators, settings.BasePort);
        }
        catch (InvalidSettingException ex)
        {
            // testnet init names its own options (--out, --validators, --base-port); say it for ours.
            var reason = ex.Message.StartsWith("Setting '", StringComparison.Ordinal) && ex.Message.IndexOf("': ", StringComparison.Ordinal) is var colon and > 0
                ? ex.Message[(colon + 3)..]
                : ex.Message;
            throw new InvalidSettingException(string.Equals(ex.Setting, "--out", StringComparison.Ordinal) ? "--dir" : ex.Setting, $"cannot create a testnet in '{directory}': {reason}", ex);
        }

        if (TestnetDirectory.CountNodes(directory) == 0)
        {
            throw new CommandFailedException($"testnet init succeeded but wrote no {TestnetDirectory.ConfigFileName} under {directory}/node0");
        }
    }

    /// <summary>A node already answering on a port means a cluster from an earlier run is still up: say so instead of failing obscurely.</summary>
    private static async Task RefuseBusyPortsAsync(IReadOnlyList<ClusterNode> nodes, CancellationToken cancellationToken)
    {
        foreach (var node in nodes)
        {
            using var probe = new Socket(node.Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMilliseconds(500));
            try
            {
                await probe.ConnectAsync(node.Endpoint, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                continue;
            }

            throw new CommandFailedException($"{node.Endpoint} (node {node.Index}) is already in use: is a cluster from an earlier run still up? Stop it, or use another --dir and --base-port");
        }
    }

    /// <summary>Waits until every node answers status; returns the highest height. A node that exits first fails the start.</summary>
    private async Task<ulong> WaitUntilReadyAsync(NodeLink[] links, List<IClusterChild> children, CancellationToken stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(settings.StartTimeout);
        var heights = new ulong[links.Length];
        var ready = links.Select(async (link, i) =>
        {
            while (true)
            {
                if (children[i].HasExited)
                {
                    throw new CommandFailedException($"node {i} exited with code {children[i].ExitCode} before answering; log {link.Node.LogPath}: {LogExcerpt(ReadLog(link.Node.LogPath))}");
                }

                try
                {
                    if (await link.ConnectAsync(TimeSpan.FromSeconds(2), deadline.Token).ConfigureAwait(false) is { } client)
                    {
                        heights[i] = (await client.StatusAsync(deadline.Token).ConfigureAwait(false)).Height;
                        return client.ChainId;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!stop.IsCancellationRequested)
                {
                    throw new CommandFailedException($"node {i} did not answer on {link.Node.Endpoint} within {settings.StartTimeout.TotalSeconds:0} s ({link.LastError}); log {link.Node.LogPath}", ex);
                }
                catch (Exception ex) when (ex is Net.WireException or IOException)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token).ConfigureAwait(false);
                }
            }
        }).ToArray();

        var chains = await Task.WhenAll(ready).ConfigureAwait(false);
        if (chains.Distinct().Count() != 1)
        {
            throw new CommandFailedException($"the nodes serve different chains ({string.Join(", ", chains.Select(c => c.ToShortString()))}); re-create the testnet in a fresh --dir");
        }

        return heights.Max();
    }

    /// <summary>SIGTERM to every node, wait for all (bounded), then kill what is left.</summary>
    private async Task StopChildrenAsync(IReadOnlyList<ClusterNode> nodes, List<IClusterChild> children)
    {
        if (children.Count == 0)
        {
            return;
        }

        foreach (var child in children)
        {
            child.Terminate();
        }

        using var patience = new CancellationTokenSource(settings.StopTimeout);
        for (var i = 0; i < children.Count; i++)
        {
            var child = children[i];
            try
            {
                await child.WaitForExitAsync(patience.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await error.WriteLineAsync($"cluster: node {nodes[i].Index} (pid {child.Id}) did not stop within {settings.StopTimeout.TotalSeconds:0} s of SIGTERM; killing it").ConfigureAwait(false);
                child.Kill();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await child.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    await error.WriteLineAsync($"cluster: node {nodes[i].Index} (pid {child.Id}) is still running after SIGKILL").ConfigureAwait(false);
                }
            }

            if (child.ExitCode is { } code && code != 0)
            {
                await error.WriteLineAsync($"cluster: node {nodes[i].Index} exited with code {code}; see {nodes[i].LogPath}").ConfigureAwait(false);
            }

            child.Dispose();
        }
    }

    private static string ReadLog(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "(no log)";
        }
    }

    /// <summary>What a failed node's log most likely says about why: its last error lines, or its last lines.</summary>
    internal static string LogExcerpt(string log)
    {
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("fail", StringComparison.OrdinalIgnoreCase)
            || l.Contains("exception", StringComparison.OrdinalIgnoreCase) || l.Contains("unrecognized", StringComparison.OrdinalIgnoreCase)).ToArray();
        return LastLines(string.Join('\n', errors.Length > 0 ? errors : lines), 3);
    }

    internal static string LastLines(string text, int count)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : string.Join(" | ", lines.TakeLast(count));
    }
}
