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
        var exit = await Program.BuildRoot().Parse([.. command, "--help"]).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output });
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
        var result = Program.BuildRoot().Parse(args);
        Assert.NotEmpty(result.Errors);
        var option = args.First(a => a.StartsWith("--", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Message.Contains(option, StringComparison.Ordinal) || e.Message.Contains("Cannot parse", StringComparison.Ordinal));
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
