using System.CommandLine;
using System.Globalization;
using CretoAI.Fast.Cli.Commands;
using CretoAI.Fast.Cli.Tests.Infrastructure;
using CretoAI.Fast.Wire.Client;
using Xunit;

namespace CretoAI.Fast.Cli.Tests;

/// <summary>
/// <c>cluster up</c> end to end in process: the child processes are in-process FrameServers serving
/// a fake node (<see cref="FakeClusterProcesses"/>), everything else is the real command: testnet
/// detection, readiness, open-loop signed load, commit following, plain lines, ordered stop, summary.
/// </summary>
public sealed class ClusterCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cretoai-cluster-").FullName;

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

    private string TestnetDirectory => Path.Combine(_directory, "testnet");

    private static async Task<(int Exit, string Output, string Error)> RunAsync(FakeClusterProcesses processes, params string[] args)
    {
        var root = new RootCommand { ClusterCommand.Create(processes) };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Up_creates_a_testnet_runs_load_and_prints_the_summary()
    {
        var processes = new FakeClusterProcesses();
        processes.Node.CommitSubmissions = true;
        processes.Node.VerdictFor = _ => (TransactionVerdicts.NotInterpreted, null);

        var (exit, output, error) = await RunAsync(processes, "cluster", "up", "--dir", TestnetDirectory, "--validators", "3", "--rate", "40", "--agents", "6", "--duration", "2.5", "--plain");

        Assert.True(exit == 0, output + error);

        // The testnet was created once with the directory, count and base port; three nodes were
        // started with their configs and logs, and all were stopped with SIGTERM.
        Assert.Equal((TestnetDirectory, 3, 7400), Assert.Single(processes.Created));
        var starts = processes.Starts.ToArray();
        Assert.Equal(3, starts.Length);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(["node", "run", "--config", Node.Settings.TestnetDirectory.ConfigPath(TestnetDirectory, i)], starts[i].Arguments);
            Assert.Equal(Path.Combine(Node.Settings.TestnetDirectory.NodeDirectory(TestnetDirectory, i), "node.log"), starts[i].LogPath);
        }

        Assert.All(processes.Children, c => Assert.True(c.Terminated));

        // Plain progress lines, then the summary as the last line.
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("t=", StringComparison.Ordinal) && l.Contains("nodes_up=3/3", StringComparison.Ordinal));
        var summary = Parse(lines[^1]);
        Assert.True(summary["height"] > 0, lines[^1]);
        Assert.True(summary["committed_tx"] > 0, lines[^1]);
        Assert.True(summary["tx_per_s"] > 0, lines[^1]);
        Assert.True(summary["p50_ms"] > 0 && summary["p99_ms"] >= summary["p50_ms"], lines[^1]);
        Assert.InRange(summary["height"], 1, processes.Node.Height);

        // Each agent registered once (nonce 1), then sent payloads with nonces 2, 3, ... in order,
        // all signed for the node's chain.
        var byAgent = new Dictionary<string, List<(Wire.Transactions.TransactionKind Kind, ulong Nonce)>>(StringComparer.Ordinal);
        foreach (var envelope in processes.Node.Submitted)
        {
            Assert.Equal(Wire.Transactions.TransactionParseError.None, Wire.Transactions.SignedTransaction.TryParse(envelope, out var tx));
            Assert.Equal(FakeNodeServer.ChainId, tx.ChainId);
            var sender = Convert.ToHexString(tx.PublicKey[..16]);
            if (!byAgent.TryGetValue(sender, out var sent))
            {
                byAgent[sender] = sent = [];
            }

            sent.Add((tx.Kind, tx.Nonce));
        }

        Assert.Equal(6, byAgent.Count);
        foreach (var sent in byAgent.Values)
        {
            var ordered = sent.OrderBy(t => t.Nonce).ToArray();
            Assert.Equal((Wire.Transactions.TransactionKind.AgentRegister, 1UL), ordered[0]);
            Assert.All(ordered.Skip(1), t => Assert.Equal(Wire.Transactions.TransactionKind.Payload, t.Kind));
            Assert.Equal(Enumerable.Range(1, ordered.Length).Select(n => (ulong)n), ordered.Select(t => t.Nonce));
        }
    }

    [Fact]
    public async Task An_existing_testnet_is_reused_and_without_load_or_commits_a_timed_run_exits_one()
    {
        for (var i = 0; i < 2; i++)
        {
            FakeClusterProcesses.WriteNodeConfig(TestnetDirectory, i, FakeNodeServer.ClosedPort());
        }

        var processes = new FakeClusterProcesses();
        var (exit, output, error) = await RunAsync(processes, "cluster", "up", "--dir", TestnetDirectory, "--no-load", "--duration", "1", "--plain");

        Assert.Equal(1, exit);
        Assert.Empty(processes.Created);
        Assert.Equal(2, processes.Starts.Count);
        Assert.Contains("using the existing 2-validator testnet", output, StringComparison.Ordinal);
        Assert.Contains("cluster: height=0 committed_tx=0 tx_per_s=0.0 p50_ms=n/a p99_ms=n/a", output, StringComparison.Ordinal);
        Assert.Contains("no block was committed in 1 s", error, StringComparison.Ordinal);
        Assert.All(processes.Children, c => Assert.True(c.Terminated));
        Assert.True(processes.Node.Submitted.IsEmpty);
    }

    [Fact]
    public async Task A_node_that_exits_at_start_fails_the_run_with_its_log_and_stops_the_others()
    {
        var processes = new FakeClusterProcesses();
        processes.Failing.Add(1);
        var (exit, _, error) = await RunAsync(processes, "cluster", "up", "--dir", TestnetDirectory, "--validators", "3", "--duration", "5", "--plain");

        Assert.Equal(1, exit);
        Assert.Contains("node 1 exited with code 3 before answering", error, StringComparison.Ordinal);
        Assert.Contains("disk full", error, StringComparison.Ordinal);
        Assert.All(processes.Children, c => Assert.True(c.Terminated));
    }

    [Fact]
    public async Task A_testnet_that_cannot_be_created_is_bad_input_naming_dir()
    {
        var processes = new FakeClusterProcesses { CreateFails = new Core.InvalidSettingException("--out", "'x' already exists and is not empty; refusing to overwrite a testnet (pass --force to replace it).") };
        var (exit, _, error) = await RunAsync(processes, "cluster", "up", "--dir", TestnetDirectory, "--duration", "1");
        Assert.Equal(2, exit);
        Assert.Contains("Setting '--dir': cannot create a testnet in", error, StringComparison.Ordinal);
        Assert.Contains("': 'x' already exists and is not empty", error, StringComparison.Ordinal);
        Assert.DoesNotContain("--out", error, StringComparison.Ordinal);
        Assert.Empty(processes.Starts);
    }

    [Fact]
    public async Task A_testnet_made_by_testnet_init_is_found_with_its_ports()
    {
        // Real keys, genesis and configs from testnet init's code, at a base port whose node and
        // metrics ports are free; the nodes themselves are fakes listening where the configs say.
        var basePort = FreeBasePort(2);
        var processes = new FakeClusterProcesses { RealTestnet = true };
        processes.Node.CommitSubmissions = true;

        var (exit, output, error) = await RunAsync(processes, "cluster", "up", "--dir", TestnetDirectory, "--validators", "2", "--base-port", basePort.ToString(CultureInfo.InvariantCulture), "--rate", "20", "--agents", "2", "--duration", "1.5", "--plain");

        Assert.True(exit == 0, output + error);
        for (var i = 0; i < 2; i++)
        {
            Assert.True(File.Exists(Path.Combine(Node.Settings.TestnetDirectory.NodeDirectory(TestnetDirectory, i), "genesis.json")));
            Assert.Contains($"127.0.0.1:{basePort + i}", output, StringComparison.Ordinal);
        }

        Assert.Contains("cluster: height=", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_already_serving_is_refused_before_anything_starts()
    {
        await using var running = FakeNodeServer.Start();
        FakeClusterProcesses.WriteNodeConfig(TestnetDirectory, 0, running.Endpoint.Port);
        var processes = new FakeClusterProcesses();

        var (exit, _, error) = await RunAsync(processes, "cluster", "up", "--dir", TestnetDirectory, "--duration", "1");

        Assert.Equal(1, exit);
        Assert.Contains("is already in use", error, StringComparison.Ordinal);
        Assert.Empty(processes.Starts);
    }

    [Theory]
    [InlineData("--validators", "0")]
    [InlineData("--validators", "65")]
    [InlineData("--rate", "0")]
    [InlineData("--rate", "-5")]
    [InlineData("--agents", "0")]
    [InlineData("--duration", "-1")]
    [InlineData("--base-port", "80")]
    [InlineData("--dir", "")]
    [InlineData("--bogus", "1")]
    public async Task Bad_options_are_exit_two(string option, string value)
    {
        var processes = new FakeClusterProcesses();
        var (exit, _, error) = await RunAsync(processes, "cluster", "up", "--dir", TestnetDirectory, option, value);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Empty(processes.Starts);
        Assert.Empty(processes.Created);
    }

    [Fact]
    public async Task Cluster_without_a_subcommand_is_exit_two()
    {
        var (exit, _, error) = await RunAsync(new FakeClusterProcesses(), "cluster");
        Assert.Equal(2, exit);
        Assert.Contains("choose a subcommand: up", error, StringComparison.Ordinal);
    }

    [Fact]
    public void System_CommandLine_sets_no_termination_deadline_that_would_cut_the_ordered_stop()
    {
        // cluster up handles SIGINT/SIGTERM itself and may take longer than a few seconds to stop its
        // nodes; a default deadline (as in some System.CommandLine versions) would end the process first.
        Assert.Null(new InvocationConfiguration().ProcessTerminationTimeout);
    }

    /// <summary>A base port P with P..P+n-1 and P+100..P+100+n-1 free on loopback now.</summary>
    private static int FreeBasePort(int nodes)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var candidate = Random.Shared.Next(20_000, 60_000);
            if (Enumerable.Range(0, nodes).All(i => IsFree(candidate + i) && IsFree(candidate + 100 + i)))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("no free port range found");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static Dictionary<string, double> Parse(string summary)
    {
        Assert.StartsWith("cluster: ", summary, StringComparison.Ordinal);
        return summary["cluster: ".Length..].Split(' ').Select(pair => pair.Split('=')).ToDictionary(
            kv => kv[0],
            kv => double.Parse(kv[1], CultureInfo.InvariantCulture),
            StringComparer.Ordinal);
    }
}
