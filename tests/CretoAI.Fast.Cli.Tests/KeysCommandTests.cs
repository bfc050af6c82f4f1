using System.CommandLine;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Crypto.Keys;
using Xunit;

namespace CretoAI.Fast.Cli.Tests;

/// <summary>
/// <c>cretoai-fast keys ...</c> end to end, in process, through the parsed command line, on real
/// files. Exit codes are the contract scripts rely on: 0 valid, 1 invalid, 2 usage or I/O error.
/// </summary>
public sealed class KeysCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cretoai-keys-cli-").FullName;

    private string KeyPath => Path.Combine(_directory, "node.key");

    private string PublicPath => Path.Combine(_directory, "node.pub");

    private string MessagePath => Path.Combine(_directory, "message.bin");

    private string SignaturePath => Path.Combine(_directory, "message.sig");

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

    public static TheoryData<string[]> KeysCommands => new()
    {
        { new[] { "keys" } },
        { new[] { "keys", "generate" } },
        { new[] { "keys", "sign" } },
        { new[] { "keys", "verify" } },
        { new[] { "keys", "show" } },
        { new[] { "keys", "bench" } },
    };

    [Theory]
    [MemberData(nameof(KeysCommands))]
    public async Task Every_keys_command_has_help(string[] command)
    {
        var (exit, output) = await RunAsync([.. command, "--help"]);
        Assert.Equal(0, exit);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_writes_a_0600_private_key_and_a_public_key_and_prints_the_node_id()
    {
        var (exit, output) = await RunAsync("keys", "generate", "--out", _directory);
        Assert.Equal(0, exit);

        var publicKey = PublicKeyFile.Read(PublicPath);
        using var pair = KeyPair.Load(KeyPath);
        Assert.Equal(publicKey, pair.PublicKey.ToArray());
        Assert.Contains($"node-id {Sha3.Hash256(publicKey)}", output, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
        }
    }

    [Fact]
    public async Task Generate_creates_the_directory_and_honours_the_name()
    {
        var nested = Path.Combine(_directory, "validators", "v1");
        Assert.Equal(0, (await RunAsync("keys", "generate", "--out", nested, "--name", "validator-1")).Exit);
        Assert.True(File.Exists(Path.Combine(nested, "validator-1.key")));
        Assert.True(File.Exists(Path.Combine(nested, "validator-1.pub")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(nested));
        }
    }

    [Fact]
    public async Task Generate_refuses_to_overwrite_an_existing_key_unless_forced()
    {
        Assert.Equal(0, (await RunAsync("keys", "generate", "--out", _directory)).Exit);
        var before = File.ReadAllBytes(KeyPath);

        Assert.Equal(2, (await RunAsync("keys", "generate", "--out", _directory)).Exit);
        Assert.Equal(before, File.ReadAllBytes(KeyPath));

        // The public key alone existing is enough to refuse: the pair must stay a pair.
        File.Delete(KeyPath);
        Assert.Equal(2, (await RunAsync("keys", "generate", "--out", _directory)).Exit);
        Assert.False(File.Exists(KeyPath));

        Assert.Equal(0, (await RunAsync("keys", "generate", "--out", _directory, "--force")).Exit);
        using var replaced = KeyPair.Load(KeyPath);
        Assert.Equal(PublicKeyFile.Read(PublicPath), replaced.PublicKey.ToArray());
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task Generate_refuses_names_that_are_not_plain_file_names(string name)
    {
        Assert.Equal(2, (await RunAsync("keys", "generate", "--out", _directory, "--name", name)).Exit);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public async Task Generate_without_out_is_a_usage_error()
    {
        Assert.Equal(2, (await RunAsync("keys", "generate")).Exit);
    }

    [Fact]
    public async Task Generate_sign_verify_is_valid_and_any_change_is_invalid()
    {
        await GenerateAndSignAsync("0a0b0c");
        var (exit, output) = await VerifyAsync("0a0b0c");
        Assert.Equal(0, exit);
        Assert.StartsWith("valid", output, StringComparison.Ordinal);
        Assert.Equal(MLDsa87.SignatureSize, new FileInfo(SignaturePath).Length);

        // Wrong context, including none at all.
        Assert.Equal(1, (await VerifyAsync("0a0b0d")).Exit);
        Assert.Equal(1, (await VerifyAsync(null)).Exit);

        // One flipped bit in the signature.
        var signature = File.ReadAllBytes(SignaturePath);
        signature[100] ^= 0x01;
        File.WriteAllBytes(SignaturePath, signature);
        (exit, output) = await VerifyAsync("0a0b0c");
        Assert.Equal(1, exit);
        Assert.StartsWith("invalid", output, StringComparison.Ordinal);
        signature[100] ^= 0x01;
        File.WriteAllBytes(SignaturePath, signature);
        Assert.Equal(0, (await VerifyAsync("0a0b0c")).Exit);

        // One flipped bit in the message.
        var message = File.ReadAllBytes(MessagePath);
        message[0] ^= 0x80;
        File.WriteAllBytes(MessagePath, message);
        Assert.Equal(1, (await VerifyAsync("0a0b0c")).Exit);
    }

    [Fact]
    public async Task A_signature_of_the_wrong_length_is_invalid()
    {
        await GenerateAndSignAsync(null);
        var signature = File.ReadAllBytes(SignaturePath);
        File.WriteAllBytes(SignaturePath, signature[..^1]);
        var (exit, output) = await VerifyAsync(null);
        Assert.Equal(1, exit);
        Assert.Contains("4626 bytes", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_key_does_not_verify()
    {
        await GenerateAndSignAsync(null);
        var other = Path.Combine(_directory, "other");
        Assert.Equal(0, (await RunAsync("keys", "generate", "--out", other)).Exit);
        var (exit, _) = await RunAsync("keys", "verify", "--public-key", Path.Combine(other, "node.pub"), "--message", MessagePath, "--signature", SignaturePath);
        Assert.Equal(1, exit);
    }

    [Fact]
    public async Task Deterministic_signatures_repeat_and_hedged_ones_verify()
    {
        await GenerateAndSignAsync(null);
        var second = Path.Combine(_directory, "second.sig");
        var third = Path.Combine(_directory, "third.sig");
        Assert.Equal(0, (await RunAsync("keys", "sign", "--key", KeyPath, "--message", MessagePath, "--out", second, "--deterministic")).Exit);
        Assert.Equal(0, (await RunAsync("keys", "sign", "--key", KeyPath, "--message", MessagePath, "--out", third, "--deterministic")).Exit);
        Assert.Equal(File.ReadAllBytes(second), File.ReadAllBytes(third));
        Assert.Equal(0, (await RunAsync("keys", "verify", "--public-key", PublicPath, "--message", MessagePath, "--signature", third)).Exit);
    }

    [Fact]
    public async Task Sign_refuses_to_overwrite_its_output_unless_forced()
    {
        await GenerateAndSignAsync(null);
        var before = File.ReadAllBytes(SignaturePath);
        Assert.Equal(2, (await RunAsync("keys", "sign", "--key", KeyPath, "--message", MessagePath, "--out", SignaturePath)).Exit);
        Assert.Equal(before, File.ReadAllBytes(SignaturePath));
        Assert.Equal(0, (await RunAsync("keys", "sign", "--key", KeyPath, "--message", MessagePath, "--out", SignaturePath, "--force")).Exit);
    }

    [Fact]
    public async Task Sign_refuses_a_world_readable_private_key()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Equal(0, (await RunAsync("keys", "generate", "--out", _directory)).Exit);
        File.WriteAllBytes(MessagePath, [1, 2, 3]);
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Equal(2, (await RunAsync("keys", "sign", "--key", KeyPath, "--message", MessagePath, "--out", SignaturePath)).Exit);
        Assert.False(File.Exists(SignaturePath));
    }

    [Fact]
    public async Task Missing_files_are_exit_two()
    {
        await GenerateAndSignAsync(null);
        var absent = Path.Combine(_directory, "absent");
        Assert.Equal(2, (await RunAsync("keys", "verify", "--public-key", absent, "--message", MessagePath, "--signature", SignaturePath)).Exit);
        Assert.Equal(2, (await RunAsync("keys", "verify", "--public-key", PublicPath, "--message", absent, "--signature", SignaturePath)).Exit);
        Assert.Equal(2, (await RunAsync("keys", "verify", "--public-key", PublicPath, "--message", MessagePath, "--signature", absent)).Exit);
        Assert.Equal(2, (await RunAsync("keys", "sign", "--key", absent, "--message", MessagePath, "--out", Path.Combine(_directory, "x.sig"))).Exit);
        Assert.Equal(2, (await RunAsync("keys", "sign", "--key", KeyPath, "--message", absent, "--out", Path.Combine(_directory, "x.sig"))).Exit);
    }

    [Fact]
    public async Task Key_files_of_the_wrong_kind_are_exit_two()
    {
        await GenerateAndSignAsync(null);
        Assert.Equal(2, (await RunAsync("keys", "verify", "--public-key", KeyPath, "--message", MessagePath, "--signature", SignaturePath)).Exit);
        Assert.Equal(2, (await RunAsync("keys", "sign", "--key", PublicPath, "--message", MessagePath, "--out", Path.Combine(_directory, "x.sig"))).Exit);
        Assert.Equal(2, (await RunAsync("keys", "verify", "--public-key", MessagePath, "--message", MessagePath, "--signature", SignaturePath)).Exit);
    }

    [Theory]
    [InlineData("zz")]
    [InlineData("abc")]
    [InlineData("0x0a")]
    public async Task A_context_that_is_not_hex_is_exit_two(string context)
    {
        await GenerateAndSignAsync(null);
        Assert.Equal(2, (await VerifyAsync(context)).Exit);
        Assert.Equal(2, (await RunAsync("keys", "sign", "--key", KeyPath, "--message", MessagePath, "--out", Path.Combine(_directory, "x.sig"), "--context", context)).Exit);
    }

    [Fact]
    public async Task A_context_longer_than_255_bytes_is_exit_two_and_255_works()
    {
        await GenerateAndSignAsync(new string('a', 2 * 255));
        Assert.Equal(0, (await VerifyAsync(new string('a', 2 * 255))).Exit);
        Assert.Equal(2, (await VerifyAsync(new string('a', 2 * 256))).Exit);
    }

    [Theory]
    [InlineData("keys", "verify", "--message", "m", "--signature", "s")]
    [InlineData("keys", "verify", "--public-key", "p", "--message", "m", "--signature", "s", "--unknown")]
    [InlineData("keys", "verify", "--public-key", "p", "--message", "m", "--signature", "s", "extra")]
    [InlineData("keys", "verify", "--public-key", "p", "--message", "m", "--signature")]
    [InlineData("keys", "sign", "--key", "k", "--message", "m")]
    [InlineData("keys", "show")]
    [InlineData("keys")]
    [InlineData("keys", "frobnicate")]
    [InlineData("keys", "show", "--key", "k", "--public-key", "p")]
    public async Task Usage_errors_are_exit_two_never_one(params string[] args)
    {
        // For verify, 1 means "invalid signature"; a typo must not look like one.
        Assert.Equal(2, (await RunAsync(args)).Exit);
    }

    [Fact]
    public async Task Show_prints_the_same_node_id_for_both_halves_of_a_pair()
    {
        var (_, generated) = await RunAsync("keys", "generate", "--out", _directory);
        var nodeIdLine = generated.Split('\n')[0].Trim();
        Assert.StartsWith("node-id ", nodeIdLine, StringComparison.Ordinal);
        var (exit, fromKey) = await RunAsync("keys", "show", "--key", KeyPath);
        Assert.Equal(0, exit);
        Assert.Contains(nodeIdLine, fromKey, StringComparison.Ordinal);
        (exit, var fromPublic) = await RunAsync("keys", "show", "--public-key", PublicPath);
        Assert.Equal(0, exit);
        Assert.Contains(nodeIdLine, fromPublic, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_run_refuses_a_missing_identity_file_and_both_identity_options()
    {
        Assert.Equal(2, (await RunAsync("node", "run", "--listen", "127.0.0.1:0", "--identity", Path.Combine(_directory, "absent.key"))).Exit);
        Assert.Equal(0, (await RunAsync("keys", "generate", "--out", _directory)).Exit);
        Assert.Equal(2, (await RunAsync("node", "run", "--listen", "127.0.0.1:0", "--identity", KeyPath, "--identity-seed", new string('0', 64))).Exit);
    }

    private async Task GenerateAndSignAsync(string? context)
    {
        Assert.Equal(0, (await RunAsync("keys", "generate", "--out", _directory)).Exit);
        File.WriteAllBytes(MessagePath, "transfer 10 stake from agent-7 to agent-9"u8.ToArray());
        string[] args = ["keys", "sign", "--key", KeyPath, "--message", MessagePath, "--out", SignaturePath];
        if (context is not null)
        {
            args = [.. args, "--context", context];
        }

        var (exit, output) = await RunAsync(args);
        Assert.True(exit == 0, output);
    }

    private Task<(int Exit, string Output)> VerifyAsync(string? context)
    {
        string[] args = ["keys", "verify", "--public-key", PublicPath, "--message", MessagePath, "--signature", SignaturePath];
        return RunAsync(context is null ? args : [.. args, "--context", context]);
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Program.BuildRoot().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString());
    }
}
