using System.CommandLine;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Node.Chain;
using CretoAI.Fast.Node.Settings;
using Xunit;

namespace CretoAI.Fast.Cli.Tests;

/// <summary>
/// <c>cretoai-fast testnet init</c> in process, through the parsed command line, on real files: the
/// layout, ports and exit codes are a contract that scripts rely on (docs/operations.md).
/// </summary>
public sealed class TestnetCommandTests : IDisposable
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private readonly string _directory = Directory.CreateTempSubdirectory("cretoai-testnet-").FullName;

    private string Out => Path.Combine(_directory, "net");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Init_writes_keys_genesis_and_configs_for_every_node()
    {
        var before = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var (exit, output, error) = await RunAsync("testnet", "init", "--validators", "4", "--out", Out, "--base-port", "17400");
        var after = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.True(exit == 0, error);

        Assert.Equal(["node0", "node1", "node2", "node3"], Directory.GetFileSystemEntries(Out).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var genesisText = File.ReadAllText(Path.Combine(Out, "node0", "genesis.json"));
        var genesis = GenesisFile.Load(Path.Combine(Out, "node0", "genesis.json"));
        Assert.InRange(genesis.GenesisTimeMs, before, after);
        Assert.Equal(4, genesis.Validators.Count);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"chain-id {genesis.ChainId}", lines[0]);
        Assert.Equal(5, lines.Length);

        for (var i = 0; i < 4; i++)
        {
            var node = Path.Combine(Out, $"node{i}");
            Assert.Equal(
                ["cretoai-fast.json", "genesis.json", "node.key", "node.pub"],
                Directory.GetFileSystemEntries(node).Select(Path.GetFileName).Order(StringComparer.Ordinal));

            // Identical genesis everywhere, hence one chain id.
            Assert.Equal(genesisText, File.ReadAllText(Path.Combine(node, "genesis.json")));
            Assert.Equal(genesis.ChainId, GenesisFile.Load(Path.Combine(node, "genesis.json")).ChainId);

            // The node's key is validator i of the genesis.
            using var key = KeyPair.Load(Path.Combine(node, "node.key"));
            Assert.Equal(genesis.Validators[i].PublicKey.ToArray(), key.PublicKey.ToArray());
            Assert.Equal(key.PublicKey.ToArray(), PublicKeyFile.Read(Path.Combine(node, "node.pub")));
            Assert.Equal($"node{i}", genesis.Validators[i].Name);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(node, "node.key")));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(node));
            }

            // Ports: listen P+i, metrics P+100+i, peers = every other node; paths relative to the node directory.
            var settings = NodeSettingsFile.Load(Path.Combine(node, "cretoai-fast.json"), NoEnvironment, null);
            Assert.Equal($"127.0.0.1:{17400 + i}", settings.Listen);
            Assert.Equal($"127.0.0.1:{17500 + i}", settings.MetricsListen);
            Assert.Equal(Enumerable.Range(0, 4).Where(j => j != i).Select(j => $"127.0.0.1:{17400 + j}"), settings.Peers);
            Assert.Equal(Path.Combine(node, "data"), settings.DataDirectory);
            Assert.Equal(Path.Combine(node, "node.key"), settings.IdentityKeyFile);
            Assert.Equal(Path.Combine(node, "genesis.json"), settings.GenesisFile);

            // The four validators share this machine's cores for verifying.
            Assert.Equal(Math.Max(1, Environment.ProcessorCount / 4), settings.VerifyThreads);
            settings.ValidateFiles();

            Assert.Equal(
                $"node{i} {Sha3.Hash256(key.PublicKey.Span)} listen 127.0.0.1:{17400 + i} metrics 127.0.0.1:{17500 + i} config {Path.Combine(node, "cretoai-fast.json")}",
                lines[i + 1]);
        }
    }

    [Theory]
    [InlineData(4, 2, 1)]
    [InlineData(1, 2, 2)]
    [InlineData(4, 16, 4)]
    [InlineData(3, 8, 2)]
    [InlineData(64, 8, 1)]
    public void Each_local_validator_verifies_on_its_share_of_the_cores(int validators, int cores, int expected) =>
        Assert.Equal(expected, Commands.TestnetLayout.VerifyThreadsFor(validators, cores));

    [Fact]
    public async Task Default_base_port_is_7400_and_genesis_time_can_be_fixed()
    {
        var (exit, _, error) = await RunAsync("testnet", "init", "--validators", "2", "--out", Out, "--genesis-time-ms", "1767225600000", "--chain-name", "my-net");
        Assert.True(exit == 0, error);
        var node1 = NodeSettingsFile.Load(Path.Combine(Out, "node1", "cretoai-fast.json"), NoEnvironment, null);
        Assert.Equal("127.0.0.1:7401", node1.Listen);
        Assert.Equal("127.0.0.1:7501", node1.MetricsListen);
        Assert.Equal(["127.0.0.1:7400"], node1.Peers);
        var genesis = GenesisFile.Load(Path.Combine(Out, "node1", "genesis.json"));
        Assert.Equal(1_767_225_600_000UL, genesis.GenesisTimeMs);
        Assert.Equal("my-net", genesis.ChainName);
    }

    [Fact]
    public async Task Cluster_up_reads_the_nodes_and_ports_that_testnet_init_writes()
    {
        var (exit, _, error) = await RunAsync("testnet", "init", "--validators", "3", "--out", Out, "--base-port", "27400");
        Assert.True(exit == 0, error);

        // Another base port than cluster up's default: the endpoints come from the configs' listen.
        var nodes = CretoAI.Fast.Cli.Cluster.ClusterLayout.Load(Out, 7400);
        Assert.Equal(3, nodes.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 27400 + i), nodes[i].Endpoint);
            Assert.Equal(Path.Combine(Out, $"node{i}", "cretoai-fast.json"), nodes[i].ConfigPath);
        }
    }

    [Fact]
    public async Task A_single_validator_has_no_peers()
    {
        Assert.Equal(0, (await RunAsync("testnet", "init", "--validators", "1", "--out", Out)).Exit);
        var settings = NodeSettingsFile.Load(Path.Combine(Out, "node0", "cretoai-fast.json"), NoEnvironment, null);
        Assert.Empty(settings.Peers);
        Assert.Single(GenesisFile.Load(Path.Combine(Out, "node0", "genesis.json")).Validators);
    }

    [Fact]
    public async Task An_existing_testnet_is_kept_without_force_and_replaced_with_it()
    {
        Assert.Equal(0, (await RunAsync("testnet", "init", "--validators", "4", "--out", Out)).Exit);
        var key = File.ReadAllBytes(Path.Combine(Out, "node0", "node.key"));
        var chainId = GenesisFile.Load(Path.Combine(Out, "node0", "genesis.json")).ChainId;
        File.WriteAllText(Path.Combine(Out, "notes.txt"), "mine");

        var (exit, _, error) = await RunAsync("testnet", "init", "--validators", "2", "--out", Out);
        Assert.Equal(2, exit);
        Assert.Contains($"'{Out}' already exists and is not empty; refusing to overwrite a testnet (pass --force to replace it)", error, StringComparison.Ordinal);
        Assert.Equal(key, File.ReadAllBytes(Path.Combine(Out, "node0", "node.key")));
        Assert.True(Directory.Exists(Path.Combine(Out, "node3")));

        (exit, _, error) = await RunAsync("testnet", "init", "--validators", "2", "--out", Out, "--force");
        Assert.True(exit == 0, error);
        Assert.NotEqual(key, File.ReadAllBytes(Path.Combine(Out, "node0", "node.key")));
        Assert.NotEqual(chainId, GenesisFile.Load(Path.Combine(Out, "node0", "genesis.json")).ChainId);
        Assert.False(Directory.Exists(Path.Combine(Out, "node2"))); // stale nodes of the old testnet are gone
        Assert.False(Directory.Exists(Path.Combine(Out, "node3")));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(Out, "notes.txt"))); // other files are kept
        Assert.Equal(["node0", "node1", "notes.txt"], Directory.GetFileSystemEntries(Out).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("0", "Setting '--validators': 0 is outside 1..64.")]
    [InlineData("65", "Setting '--validators': 65 is outside 1..64.")]
    [InlineData("-1", "Setting '--validators': -1 is outside 1..64.")]
    [InlineData("four", "error: ")]
    public async Task A_bad_validator_count_exits_2_and_writes_nothing(string count, string expected)
    {
        var (exit, _, error) = await RunAsync("testnet", "init", "--validators", count, "--out", Out);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out));
    }

    [Theory]
    [InlineData(new[] { "testnet", "init", "--out", "x" }, "Setting '--validators': is required")]
    [InlineData(new[] { "testnet", "init", "--validators", "4" }, "Setting '--out': is required")]
    [InlineData(new[] { "testnet", "init", "--validators", "4", "--out", "x", "--base-port", "65500" }, "Setting '--base-port': 65500 does not leave room for 4 nodes")]
    [InlineData(new[] { "testnet", "init", "--validators", "4", "--out", "x", "--base-port", "0" }, "Setting '--base-port': 0 does not leave room")]
    [InlineData(new[] { "testnet", "init", "--validators", "4", "--out", "x", "--chain-name", "bad name" }, "Setting '--chain-name': 'bad name' has the character ' '")]
    [InlineData(new[] { "testnet", "init", "--validators", "4", "--out", "x", "--genesis-time-ms", "1700000000" }, "Setting '--genesis-time-ms': 1700000000 is not a Unix time in milliseconds")]
    [InlineData(new[] { "testnet", "init", "--validators", "4", "--out", "x", "--surprise" }, "error: unrecognized argument '--surprise'")]
    [InlineData(new[] { "testnet" }, "choose a subcommand: init")]
    public async Task Usage_errors_exit_2_with_a_clear_message(string[] args, string expected)
    {
        var cwd = Directory.GetCurrentDirectory();
        var (exit, _, error) = await RunAsync([.. args.Select(a => a == "x" ? Out : a)]);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out) && Directory.EnumerateFileSystemEntries(Out).Any());
        Assert.Equal(cwd, Directory.GetCurrentDirectory());
    }

    [Fact]
    public async Task Testnet_init_has_help()
    {
        var (exit, output, _) = await RunAsync("testnet", "init", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("--base-port", output, StringComparison.Ordinal);
        Assert.Contains("--force", output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Program.BuildRoot().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
