using CretoAI.Fast.Cli.Commands;
using Xunit;

namespace CretoAI.Fast.Cli.Tests;

public class CommandLineTests
{
    public static TheoryData<string[]> EveryCommand => new()
    {
        { Array.Empty<string>() },
        { new[] { "demo" } },
        { new[] { "node" } },
        { new[] { "node", "run" } },
        { new[] { "ping" } },
        { new[] { "status" } },
        { new[] { "block" } },
        { new[] { "tx" } },
        { new[] { "tx", "submit" } },
        { new[] { "cluster" } },
        { new[] { "cluster", "up" } },
    };

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public async Task Every_command_has_help(string[] command)
    {
        using var output = new StringWriter();
        string[] args = [.. command, "--help"];
        var exit = await Program.BuildRoot(args).Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output });
        Assert.Equal(0, exit);
        Assert.Contains("Usage:", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--help", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ping", "--matrix", "0x1")]
    [InlineData("ping", "--matrix", "4x")]
    [InlineData("ping", "--matrix", "")]
    [InlineData("ping", "--chain-id", "abc")]
    [InlineData("ping", "--chain-id", "0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("ping", "--payload", "-1")]
    [InlineData("ping", "--duration", "0")]
    [InlineData("node", "run", "--max-connections", "0")]
    [InlineData("node", "run", "--idle-timeout", "0.5")]
    [InlineData("node", "run", "--handshake-timeout", "0")]
    [InlineData("node", "run", "--shutdown-timeout", "-1")]
    [InlineData("demo", "--warmup", "-1")]
    public void Bad_options_are_parse_errors_that_name_the_option(params string[] args)
    {
        var result = Program.BuildRoot(args).Parse(args);
        Assert.NotEmpty(result.Errors);
        var option = args.First(a => a.StartsWith("--", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Message.Contains(option, StringComparison.Ordinal) || e.Message.Contains("Cannot parse", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("cluster", "up", "--validators", "four")]
    [InlineData("cluster", "up", "--base-port", "high")]
    [InlineData("cluster", "up", "--rate", "fast")]
    [InlineData("cluster", "up", "--duration", "long")]
    [InlineData("ping", "--payload", "big")]
    [InlineData("demo", "--duration", "1s")]
    [InlineData("node", "run", "--max-connections", "many")]
    [InlineData("status", "--node", "127.0.0.1:7400", "--timeout", "soon")]
    public async Task A_value_that_is_not_a_number_is_a_parse_error_not_a_crash(params string[] args)
    {
        var result = Program.BuildRoot(args).Parse(args);
        var option = args.Last(a => a.StartsWith("--", StringComparison.Ordinal));
        var error = Assert.Single(result.Errors);
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{args[^1]}'", error.Message, StringComparison.Ordinal);

        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await result.InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = errors });
        Assert.NotEqual(0, exit);
        Assert.Contains(option, errors.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("node", "run", "--config", "")]
    [InlineData("config", "check", "--config", "")]
    public async Task An_empty_config_path_exits_2_as_a_bad_setting_not_an_unhandled_exception(params string[] args)
    {
        var (exit, _, error) = await Infrastructure.CliRun.RunAsync(args);
        Assert.Equal(2, exit);
        Assert.DoesNotContain("Unhandled exception", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_command_table_names_each_command_as_it_calls_itself()
    {
        var full = Program.BuildRoot();
        Assert.Equal(Program.Commands.Select(c => c.Name), full.Subcommands.Select(c => c.Name));
        foreach (var (name, _) in Program.Commands)
        {
            var only = Program.BuildRoot([name, "--help"]);
            Assert.Equal(name, Assert.Single(only.Subcommands).Name);
        }
    }

    [Theory]
    [InlineData("node", "run", "--config", "/etc/cretoai-fast/node.json", "--set", "log_level=Debug")]
    [InlineData("node", "run", "--max-connections", "0")]
    [InlineData("tx", "submit", "--node", "127.0.0.1:7400", "--wait")]
    [InlineData("status", "--node", "127.0.0.1:7400", "--json")]
    [InlineData("cluster", "up", "--validators", "four")]
    [InlineData("keys", "frobnicate")]
    [InlineData("nod", "run")]
    [InlineData("--version")]
    public void A_command_line_parses_the_same_with_only_its_command_built(params string[] args)
    {
        var full = Program.BuildRoot().Parse(args);
        var only = Program.BuildRoot(args).Parse(args);

        Assert.Equal(full.CommandResult.Command.Name, only.CommandResult.Command.Name);
        Assert.Equal(full.Errors.Select(e => e.Message), only.Errors.Select(e => e.Message));
        Assert.Equal(full.Tokens.Select(t => (t.Value, t.Type)), only.Tokens.Select(t => (t.Value, t.Type)));
    }

    [Fact]
    public void Matrix_parses_pairs_in_order()
    {
        Assert.True(LoadOptions.TryParseMatrix("1x1, 1x16,32x1 ,32x16", out var pairs, out _));
        Assert.Equal([(1, 1), (1, 16), (32, 1), (32, 16)], pairs);
    }

    [Fact]
    public void Devnet_chain_id_is_sha3_of_its_name()
    {
        // SHA3-256("cretoai-fast/devnet") computed independently with BouncyCastle's Keccak-based digest.
        var digest = new Org.BouncyCastle.Crypto.Digests.Sha3Digest(256);
        var input = "cretoai-fast/devnet"u8.ToArray();
        digest.BlockUpdate(input, 0, input.Length);
        var expected = new byte[32];
        digest.DoFinal(expected, 0);
        Assert.Equal(Convert.ToHexStringLower(expected), CliDefaults.DevnetChainId.ToString());
    }
}
