using CretoAI.Fast.LoadGen.Tests.Infrastructure;
using Xunit;

namespace CretoAI.Fast.LoadGen.Tests;

/// <summary>Bad input ends with one clear line on stderr and exit code 2, and a good run with an SLA with 0 or 1.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task Unreachable_target_exits_2()
    {
        var (code, _, error) = await Cli.RunAsync("--target", FakeServer.ClosedPort(), "--quiet", "--duration", "0.2");

        Assert.Equal(2, code);
        Assert.Contains("cannot connect to", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_against_a_resp_server_exits_2()
    {
        await using var redisLike = FakeServer.Resp();

        var (code, _, error) = await Cli.RunAsync("--mode", "ping", "--target", redisLike.Target, "--quiet", "--connect-timeout", "3");

        Assert.Equal(2, code);
        Assert.Contains("resp-ping", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_against_an_http_port_exits_2()
    {
        await using var http = FakeServer.Http();

        var (code, _, error) = await Cli.RunAsync("--mode", "ping", "--target", http.Target, "--quiet", "--connect-timeout", "3");

        Assert.Equal(2, code);
        Assert.Contains("not a cretoai-fast node", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resp_ping_against_a_cretoai_node_exits_2()
    {
        await using var node = new TestNode();

        var (code, _, error) = await Cli.RunAsync("--mode", "resp-ping", "--target", node.Target, "--quiet", "--connect-timeout", "10");

        Assert.Equal(2, code);
        Assert.Contains("--mode ping", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resp_ping_against_an_http_port_exits_2()
    {
        await using var http = FakeServer.Http();

        var (code, _, error) = await Cli.RunAsync("--mode", "resp-ping", "--target", http.Target, "--quiet", "--connect-timeout", "3");

        Assert.Equal(2, code);
        Assert.Contains("does not speak RESP", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_sla_file_exits_2_before_any_connection()
    {
        var directory = Cli.TempDirectory();
        var sla = Path.Combine(directory, "sla.json");
        await File.WriteAllTextAsync(sla, """{ "latency": { "p99": "soon" } }""");

        var (code, _, error) = await Cli.RunAsync("--target", FakeServer.ClosedPort(), "--sla", sla, "--quiet");

        Assert.Equal(2, code);
        Assert.Contains("is not a duration", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tx_against_an_unreachable_target_exits_2()
    {
        var (code, _, error) = await Cli.RunAsync("--mode", "tx", "--target", FakeServer.ClosedPort(), "--quiet", "--duration", "0.2");

        Assert.Equal(2, code);
        Assert.StartsWith("error: cannot connect to", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Tx_against_an_http_port_exits_2()
    {
        await using var http = FakeServer.Http();

        var (code, _, error) = await Cli.RunAsync("--mode", "tx", "--target", http.Target, "--quiet", "--connect-timeout", "3");

        // Refused handshake, or (on a starved machine) none within the timeout: both name the cause.
        Assert.Equal(2, code);
        Assert.Contains("cretoai-fast node", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tx_against_a_node_without_the_client_protocol_exits_2()
    {
        // A bare transport node: it completes the handshake and answers Ping, but is no validator.
        await using var node = new TestNode();

        var (code, _, error) = await Cli.RunAsync("--mode", "tx", "--target", node.Target, "--quiet", "--connect-timeout", "10");

        Assert.Equal(2, code);
        Assert.Contains("does not serve the client protocol", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tx_with_a_missing_testnet_directory_exits_2()
    {
        var missing = Path.Combine(Cli.TempDirectory(), "no-testnet");

        var (code, _, error) = await Cli.RunAsync("--mode", "tx", "--testnet", missing, "--quiet");

        Assert.Equal(2, code);
        Assert.Contains("holds no testnet", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tx_with_an_unreadable_genesis_exits_2()
    {
        var genesis = Path.Combine(Cli.TempDirectory(), "genesis.json");
        await File.WriteAllTextAsync(genesis, "{ not json");

        var (code, _, error) = await Cli.RunAsync("--mode", "tx", "--genesis", genesis, "--target", FakeServer.ClosedPort(), "--quiet");

        Assert.Equal(2, code);
        Assert.StartsWith("error: --genesis: ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--testnet")]
    [InlineData("--genesis")]
    [InlineData("--transactions")]
    public async Task Tx_options_are_refused_in_other_modes(string option)
    {
        var (code, _, error) = await Cli.RunAsync("--mode", "ping", option, "1", "--quiet");

        Assert.Equal(2, code);
        Assert.Contains("options of --mode tx", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_targets_are_only_for_tx()
    {
        var (code, _, error) = await Cli.RunAsync("--mode", "ping", "--target", "127.0.0.1:1", "--target", "127.0.0.1:2", "--quiet");

        Assert.Equal(2, code);
        Assert.Contains("takes one target", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rate", "fast")]
    [InlineData("--rate", "-5")]
    [InlineData("--connections", "0")]
    [InlineData("--mode", "http")]
    [InlineData("--target", "localhost")]
    [InlineData("--duration", "abc")]
    [InlineData("--no-such-option", "1")]
    public async Task Bad_options_exit_2(string option, string value)
    {
        var (code, _, error) = await Cli.RunAsync(option, value, "--quiet");

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sla_met_exits_0_and_missed_exits_1_with_reports_written()
    {
        await using var server = FakeServer.Resp();
        var directory = Cli.TempDirectory();
        var lenient = Path.Combine(directory, "lenient.json");
        var impossible = Path.Combine(directory, "impossible.json");
        await File.WriteAllTextAsync(lenient, """{ "latency": { "p50": "60s" }, "maxErrorRate": 0 }""");
        await File.WriteAllTextAsync(impossible, """{ "minThroughput": 1e12 }""");
        string[] common = ["--mode", "resp-ping", "--target", server.Target, "--duration", "0.3", "--warmup", "0", "--quiet"];

        var met = await Cli.RunAsync([.. common, "--sla", lenient, "--out", Path.Combine(directory, "met")]);
        var missed = await Cli.RunAsync([.. common, "--sla", impossible, "--out", Path.Combine(directory, "missed")]);

        Assert.Equal(0, met.ExitCode);
        Assert.Contains("MET", met.Output, StringComparison.Ordinal);
        Assert.Equal(1, missed.ExitCode);
        Assert.Contains("MISSED", missed.Output, StringComparison.Ordinal);
        foreach (var file in (string[])["result.json", "report.md", "latency.svg"])
        {
            Assert.True(File.Exists(Path.Combine(directory, "met", file)), file);
        }
    }
}
