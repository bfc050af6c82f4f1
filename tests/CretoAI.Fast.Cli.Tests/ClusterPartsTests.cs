using System.Net;
using CretoAI.Fast.Cli.Cluster;
using CretoAI.Fast.Cli.Tests.Infrastructure;
using CretoAI.Fast.Node.Settings;
using Spectre.Console;
using Xunit;

namespace CretoAI.Fast.Cli.Tests;

/// <summary>The pieces of <c>cluster up</c> that need no processes: latency percentiles, rates, lines, layout, rendering.</summary>
public sealed class ClusterPartsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cretoai-cluster-parts-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    [Fact]
    public void Latency_percentiles_are_those_of_the_recorded_values()
    {
        var latencies = new CommitLatencies();
        Assert.Null(latencies.PercentileMs(50));
        for (var ms = 1; ms <= 1000; ms++)
        {
            latencies.Record(TimeSpan.FromMilliseconds(ms));
        }

        Assert.Equal(1000, latencies.Count);

        // Three significant digits: within 0.1 % of the exact nearest-rank values 500 and 990.
        Assert.InRange(latencies.PercentileMs(50)!.Value, 499.5, 500.5);
        Assert.InRange(latencies.PercentileMs(99)!.Value, 989, 991);
        Assert.InRange(latencies.PercentileMs(100)!.Value, 999, 1001);
    }

    [Fact]
    public void Latencies_outside_the_range_are_clamped_not_lost()
    {
        var latencies = new CommitLatencies();
        latencies.Record(TimeSpan.Zero);
        latencies.Record(TimeSpan.FromHours(5));
        Assert.Equal(2, latencies.Count);
        Assert.InRange(latencies.PercentileMs(100)!.Value, 3_590_000, 3_610_000);
    }

    [Fact]
    public void Summary_line_has_the_documented_shape()
    {
        Assert.Equal(
            "cluster: height=120 committed_tx=2400 tx_per_s=200.0 p50_ms=812.5 p99_ms=1430.0",
            new ClusterSummary(120, 2400, 12, 812.5, 1430).ToString());
        Assert.Equal(
            "cluster: height=0 committed_tx=0 tx_per_s=0.0 p50_ms=n/a p99_ms=n/a",
            new ClusterSummary(0, 0, 0, null, null).ToString());
    }

    [Fact]
    public void Plain_line_has_the_documented_shape()
    {
        var snapshot = new ClusterSnapshot(TimeSpan.FromSeconds(12.4), 34, 2, 198.04, 850, 1400, 2400, 2399, 1, 0, 2300,
        [
            new NodeSnapshot(0, 7400, true, 34, 35, 3, 10, "abcd", string.Empty),
            new NodeSnapshot(1, 7401, false, 30, 31, 0, 0, "abce", "connection refused"),
        ]);
        Assert.Equal(
            "t=12s height=34 commits_per_s=2.0 tx_per_s=198.0 p50_ms=850.0 p99_ms=1400.0 nodes_up=1/2 submitted=2400 accepted=2399 refused=1 failed=0",
            snapshot.ToPlainLine());
    }

    [Fact]
    public void Rate_window_counts_the_last_five_seconds()
    {
        var rate = new RateWindow(5000);
        Assert.Equal(0, rate.PerSecond(0));
        rate.Add(0, 10);
        Assert.Equal(10, rate.PerSecond(500));     // under a second in: per the first second
        rate.Add(2000, 10);
        Assert.Equal(10, rate.PerSecond(2000));    // 20 over 2 s
        rate.Add(4000, 30);
        Assert.Equal(12.5, rate.PerSecond(4000));  // 50 over 4 s
        Assert.Equal(8, rate.PerSecond(5000));     // the window is (now - 5 s, now]: 40 over 5 s
        Assert.Equal(6, rate.PerSecond(7000));     // 30 over 5 s
        Assert.Equal(0, rate.PerSecond(20_000));
    }

    [Fact]
    public void A_failed_nodes_log_is_summed_up_by_its_error_lines()
    {
        const string Log = "info: starting\nUnrecognized command or argument '--config'.\n\nDescription:\n  Run a node\nOptions:\n  --listen\n";
        Assert.Equal("Unrecognized command or argument '--config'.", ClusterRunner.LogExcerpt(Log));
        Assert.Equal("b | c | d", ClusterRunner.LogExcerpt("a\nb\nc\nd\n"));
        Assert.Equal("(no output)", ClusterRunner.LogExcerpt(string.Empty));
    }

    [Fact]
    public void Layout_finds_nodes_and_their_listen_addresses()
    {
        FakeClusterProcesses.WriteNodeConfig(_directory, 0, 7500);
        Directory.CreateDirectory(TestnetDirectory.NodeDirectory(_directory, 1));
        File.WriteAllText(TestnetDirectory.ConfigPath(_directory, 1), """{ "listen": "0.0.0.0:7501" }""");
        Directory.CreateDirectory(TestnetDirectory.NodeDirectory(_directory, 2));
        File.WriteAllText(TestnetDirectory.ConfigPath(_directory, 2), "not json");
        Directory.CreateDirectory(TestnetDirectory.NodeDirectory(_directory, 4));
        File.WriteAllText(TestnetDirectory.ConfigPath(_directory, 4), "{}");

        Assert.Equal(3, TestnetDirectory.CountNodes(_directory));
        var nodes = ClusterLayout.Load(_directory, 9000);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 7500), new IPEndPoint(IPAddress.Loopback, 7501), new IPEndPoint(IPAddress.Loopback, 9002)], nodes.Select(n => n.Endpoint));
        Assert.Equal(Path.Combine(_directory, "node2", "node.log"), nodes[2].LogPath);
        Assert.Equal(["node", "run", "--config", Path.Combine(_directory, "node1", "cretoai-fast.json")], ClusterLayout.RunArguments(nodes[1]));
        Assert.Equal(0, TestnetDirectory.CountNodes(Path.Combine(_directory, "missing")));
    }

    [Fact]
    public void Live_view_renders_every_node_and_escapes_notes()
    {
        var snapshot = new ClusterSnapshot(TimeSpan.FromSeconds(3), 7, 1.5, 20, null, null, 0, 0, 0, 2, 0,
        [
            new NodeSnapshot(0, 7400, true, 7, 8, 2, 1, "0011223344556677", string.Empty),
            new NodeSnapshot(1, 7401, false, 5, 6, 0, 0, "0011223344556677", "exited (code [3])"),
        ]);
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 160;
        console.Write(LiveClusterView.Render(snapshot));
        var text = writer.ToString();
        Assert.Contains("height 7", text, StringComparison.Ordinal);
        Assert.Contains("7401", text, StringComparison.Ordinal);
        Assert.Contains("exited (code [3])", text, StringComparison.Ordinal);
        Assert.Contains("p50 n/a", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_view_redraws_until_stopped_and_returns()
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        var calls = 0;
        using var stop = new CancellationTokenSource();
        var view = new LiveClusterView(console).RunAsync(
            () =>
            {
                Interlocked.Increment(ref calls);
                return new ClusterSnapshot(TimeSpan.FromSeconds(calls), (ulong)calls, 0, 0, null, null, 0, 0, 0, 0, 0, [new NodeSnapshot(0, 7400, true, (ulong)calls, 1, 0, 0, "ab", string.Empty)]);
            },
            stop.Token);

        while (Volatile.Read(ref calls) < 3)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await view.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("cretoai-fast cluster", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Children_run_this_executable_through_the_dotnet_host_when_hosted()
    {
        var (program, arguments) = LocalClusterHost.Self(["node", "run"]);
        Assert.Equal(Environment.ProcessPath, program);
        if (string.Equals(Path.GetFileNameWithoutExtension(program), "dotnet", StringComparison.Ordinal))
        {
            Assert.Equal(Path.Combine(AppContext.BaseDirectory, "cretoai-fast.dll"), arguments[0]);
            Assert.Equal(["node", "run"], arguments.Skip(1));
        }
    }

    [Fact]
    public async Task A_real_child_logs_to_its_file_and_stops_on_sigterm_with_exit_zero()
    {
        var log = Path.Combine(_directory, "node.log");
        var host = new LocalClusterHost();
        using var child = host.StartNode(["node", "run", "--listen", "127.0.0.1:0"], log);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!(File.Exists(log) && ReadShared(log).Contains("listening on", StringComparison.Ordinal)))
        {
            Assert.False(child.HasExited, "the node exited: " + (File.Exists(log) ? ReadShared(log) : "no log"));
            await Task.Delay(50, deadline.Token);
        }

        child.Terminate();
        await child.WaitForExitAsync(deadline.Token);
        Assert.Equal(0, child.ExitCode);
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
