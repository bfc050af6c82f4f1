using System.CommandLine;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Node.Chain;
using Xunit;

namespace CretoAI.Fast.Cli.Tests;

/// <summary><c>cretoai-fast config check</c>: the start-up checks of a node, on a real testnet directory.</summary>
public sealed class ConfigCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cretoai-config-check-").FullName;

    private string Net => Path.Combine(_directory, "net");

    private string Config(int node) => Path.Combine(Net, $"node{node}", "cretoai-fast.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_testnet_node_passes_and_the_check_prints_chain_id_index_and_effective_settings()
    {
        await InitAsync();
        var (exit, output, error) = await RunAsync("config", "check", "--config", Config(2), "--set", "log_level=Debug");
        Assert.True(exit == 0, error);
        var genesis = GenesisFile.Load(Path.Combine(Net, "node2", "genesis.json"));
        using var key = KeyPair.Load(Path.Combine(Net, "node2", "node.key"));
        var lines = output.Split('\n');
        Assert.Equal($"chain-id {genesis.ChainId}", lines[0]);
        Assert.Equal($"node-id {key.NodeId} validator 2 of 3 (node2)", lines[1]);
        Assert.Contains("\"log_level\": \"Debug\"", output, StringComparison.Ordinal);
        Assert.Contains($"\"data_directory\": \"{Path.Combine(Net, "node2", "data")}\"", output, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(Net, "node2", "data")));
    }

    [Fact]
    public async Task A_bad_setting_exits_2_naming_it()
    {
        await InitAsync();
        var (exit, _, error) = await RunAsync("config", "check", "--config", Config(0), "--set", "listen=127.0.0.1:99999");
        Assert.Equal(2, exit);
        Assert.Equal("error: Setting 'listen': '127.0.0.1:99999': '99999' is not a valid port (1..65535) (set by --set listen=127.0.0.1:99999).", error.Trim());
    }

    [Fact]
    public async Task A_key_that_is_not_a_genesis_validator_exits_2()
    {
        await InitAsync();
        var stranger = Path.Combine(_directory, "stranger.key");
        using (var pair = KeyPair.Generate())
        {
            pair.WritePrivateKeyFile(stranger, overwrite: false);
        }

        var (exit, _, error) = await RunAsync("config", "check", "--config", Config(1), "--set", $"identity_key_file={stranger}");
        Assert.Equal(2, exit);
        Assert.Contains("is not one of the 3 validators in", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_genesis_exits_2_naming_the_file_and_field()
    {
        await InitAsync();
        var genesis = Path.Combine(Net, "node0", "genesis.json");
        File.WriteAllText(genesis, File.ReadAllText(genesis).Replace("\"max_transactions_per_block\": 128", "\"max_transactions_per_block\": 0", StringComparison.Ordinal));
        var (exit, _, error) = await RunAsync("config", "check", "--config", Config(0));
        Assert.Equal(2, exit);
        Assert.Contains($"genesis file '{genesis}': max_transactions_per_block: 0 is outside 1..65,536.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("config", "check", "--config")]
    [InlineData("config", "check", "--bogus")]
    [InlineData("config")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        var (exit, _, error) = await RunAsync(args);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
    }

    private async Task InitAsync()
    {
        var (exit, _, error) = await RunAsync("testnet", "init", "--validators", "3", "--out", Net);
        Assert.True(exit == 0, error);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Program.BuildRoot().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
