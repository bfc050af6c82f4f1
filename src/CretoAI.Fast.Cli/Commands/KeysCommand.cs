using System.CommandLine;
using System.CommandLine.Invocation;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Crypto.Keys;

namespace CretoAI.Fast.Cli.Commands;

/// <summary>
/// <c>cretoai-fast keys generate|sign|verify|show</c>: ML-DSA-87 key files and detached signatures
/// (docs/keys.md). Exit codes: 0 success (verify: valid), 1 verify: invalid signature,
/// 2 usage or I/O error, with one line on stderr that says which.
/// </summary>
internal static class KeysCommand
{
    /// <summary>Exit code of <c>keys verify</c> when the signature does not verify.</summary>
    public const int Invalid = 1;

    /// <summary>Exit code for bad usage, unreadable or malformed files.</summary>
    public const int UsageOrIoError = 2;

    private const string FormatNote = "File formats: docs/keys.md.";

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    public static Command Create()
    {
        var keys = new Command("keys", "Create ML-DSA-87 key files, sign files with them and verify signatures. " + FormatNote)
        {
            Generate(), Sign(), Verify(), Show(), Bench(),
        };

        // Without a subcommand: a usage error (exit 2) like every other keys mistake.
        keys.Action = new KeysAction(_ => throw new InvalidSettingException("keys", "choose a subcommand: generate, sign, verify, show or bench (see 'cretoai-fast keys --help')."));
        return keys;
    }

    private static Command Generate()
    {
        var outDirectory = new Option<string?>("--out")
        {
            Description = "Directory to write the key files into (created with mode 0700 if missing). Required.",
        };
        var name = new Option<string>("--name")
        {
            Description = "File name stem: writes NAME.key (private seed, mode 0600) and NAME.pub (public key). Letters, digits, '.', '-', '_'.",
            DefaultValueFactory = _ => "node",
        };
        var force = new Option<bool>("--force")
        {
            Description = "Replace existing NAME.key / NAME.pub. Without it an existing key is never overwritten.",
        };
        var command = new Command(
            "generate",
            "Generate a fresh ML-DSA-87 key pair from 32 random bytes: NAME.key holds the private seed (mode 0600, keep it secret), " +
            "NAME.pub the public key. Prints the node id, SHA3-256 of the public key. " + FormatNote)
        {
            outDirectory, name, force,
        };
        command.Action = new KeysAction(result =>
        {
            var directory = Required(result, outDirectory);
            var stem = result.GetValue(name) ?? string.Empty;
            if (!IsSafeName(stem))
            {
                throw new InvalidSettingException("--name", $"'{stem}' is not a plain file name stem (1-100 of letters, digits, '.', '-', '_', not starting with '.').");
            }

            var overwrite = result.GetValue(force);
            var keyPath = Path.Combine(directory, stem + ".key");
            var publicPath = Path.Combine(directory, stem + ".pub");
            foreach (var path in new[] { keyPath, publicPath })
            {
                if (!overwrite && Path.Exists(path))
                {
                    throw new InvalidSettingException("--out", $"'{path}' already exists; refusing to overwrite a key (pass --force to replace it).");
                }
            }

            CreateDirectory(directory);
            using var pair = KeyPair.Generate();
            pair.WritePrivateKeyFile(keyPath, overwrite);
            pair.WritePublicKeyFile(publicPath, overwrite);
            var output = result.InvocationConfiguration.Output;
            output.WriteLine($"node-id {pair.NodeId}");
            output.WriteLine($"private key {keyPath} (mode 0600; secret, back it up safely)");
            output.WriteLine($"public key  {publicPath}");
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Sign()
    {
        var key = new Option<string?>("--key") { Description = "Private key file (NAME.key from 'keys generate'). Must not be accessible by group or others. Required." };
        var message = new Option<string?>("--message") { Description = "File whose bytes are signed, as they are. Required." };
        var context = ContextOption();
        var output = new Option<string?>("--out") { Description = $"File to write the signature to: the raw {MLDsa87.SignatureSize}-byte ML-DSA-87 signature. Required." };
        var deterministic = new Option<bool>("--deterministic")
        {
            Description = "Deterministic signature (same key, message and context give the same bytes). Default: hedged, with fresh randomness, as FIPS 204 recommends.",
        };
        var force = new Option<bool>("--force") { Description = "Replace the --out file if it exists." };
        var command = new Command(
            "sign",
            $"Sign a file with ML-DSA-87 (FIPS 204, pure, with a context string) and write the raw {MLDsa87.SignatureSize}-byte signature to --out. " + FormatNote)
        {
            key, message, context, output, deterministic, force,
        };
        command.Action = new KeysAction(result =>
        {
            var keyPath = Required(result, key);
            var messagePath = Required(result, message);
            var outPath = Required(result, output);
            var contextBytes = ParseContext(result.GetValue(context));
            using var pair = KeyPair.Load(keyPath);
            var data = ReadInput(messagePath, "message");
            var signature = new byte[MLDsa87.SignatureSize];
            var written = pair.Sign(data, contextBytes, signature, result.GetValue(deterministic));
            WriteOutput(outPath, signature.AsSpan(0, written), result.GetValue(force));
            result.InvocationConfiguration.Output.WriteLine($"signed {data.Length} bytes of {messagePath} as node-id {pair.NodeId}; signature ({written} bytes) in {outPath}");
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Verify()
    {
        var publicKey = new Option<string?>("--public-key") { Description = "Public key file (NAME.pub). Required." };
        var message = new Option<string?>("--message") { Description = "File whose bytes were signed. Required." };
        var signature = new Option<string?>("--signature") { Description = $"Signature file: the raw {MLDsa87.SignatureSize}-byte ML-DSA-87 signature. Required." };
        var context = ContextOption();
        var command = new Command(
            "verify",
            "Verify an ML-DSA-87 signature of a file. Prints 'valid' and exits 0, or prints 'invalid' and exits 1; " +
            "exit 2 means the check could not be made (bad option, missing or malformed file). " + FormatNote)
        {
            publicKey, message, signature, context,
        };
        command.Action = new KeysAction(result =>
        {
            var publicPath = Required(result, publicKey);
            var messagePath = Required(result, message);
            var signaturePath = Required(result, signature);
            var contextBytes = ParseContext(result.GetValue(context));
            var key = PublicKeyFile.Read(publicPath);
            var data = ReadInput(messagePath, "message");
            var signatureBytes = ReadInput(signaturePath, "signature");
            var output = result.InvocationConfiguration.Output;
            if (signatureBytes.Length != MLDsa87.SignatureSize)
            {
                output.WriteLine($"invalid: {signaturePath} is {signatureBytes.Length} bytes; an ML-DSA-87 signature is {MLDsa87.SignatureSize}");
                return Task.FromResult(Invalid);
            }

            if (MLDsa87.Verify(key, data, contextBytes, signatureBytes))
            {
                output.WriteLine($"valid: signed by node-id {Sha3.Hash256(key)}");
                return Task.FromResult(0);
            }

            output.WriteLine("invalid");
            return Task.FromResult(Invalid);
        });
        return command;
    }

    private static Command Show()
    {
        var key = new Option<string?>("--key") { Description = "Private key file to describe (checked the same way 'sign' checks it)." };
        var publicKey = new Option<string?>("--public-key") { Description = "Public key file to describe." };
        var command = new Command("show", "Print the node id (SHA3-256 of the public key) of a private or public key file. Give exactly one of --key, --public-key.")
        {
            key, publicKey,
        };
        command.Action = new KeysAction(result =>
        {
            var keyPath = result.GetValue(key);
            var publicPath = result.GetValue(publicKey);
            if ((keyPath is null) == (publicPath is null))
            {
                throw new InvalidSettingException("--key/--public-key", "give exactly one of them.");
            }

            var output = result.InvocationConfiguration.Output;
            if (keyPath is not null)
            {
                using var pair = KeyPair.Load(keyPath);
                output.WriteLine($"node-id {pair.NodeId}");
                output.WriteLine($"kind ml-dsa-87-private-seed ({keyPath})");
            }
            else
            {
                output.WriteLine($"node-id {Sha3.Hash256(PublicKeyFile.Read(publicPath!))}");
                output.WriteLine($"kind ml-dsa-87-public-key ({publicPath})");
            }

            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Bench()
    {
        var seconds = CommonOptions.Seconds("--seconds", "How long to verify, after signing (0.1-3600). Default: 10.", 10, 0.1, 3600);
        var threads = CommonOptions.Positive("--threads", "Verifier threads, as the daemon's batch verifier uses them (1-1024). Default: this machine's cores.", Environment.ProcessorCount, 1024);
        var keyCount = CommonOptions.InRange("--keys", "Fresh key pairs to sign with first, each one signature (4-100000). Default: 256.", 256, 4, 100_000);
        var validators = CommonOptions.Positive("--validators", "Validators sharing this machine, for the bound printed (1-1000). Default: 4, the local testnet.", 4, 1000);
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command(
            "bench",
            "Measure this machine's ML-DSA-87 verification speed on signatures by fresh keys (the path a new agent's transaction takes; nothing cached) " +
            "with the daemon's own batch verifier, and print the signature-verification bound of a cluster on this machine: cores ÷ CPU per verification ÷ validators, " +
            "in transactions per second. Exit 1 if a correct signature fails to verify (a broken build). docs/benchmarks.md uses it.")
        {
            seconds, threads, keyCount, validators, json,
        };
        command.Action = new KeysAction(async result =>
        {
            var duration = result.GetValue(seconds);
            var threadCount = result.GetValue(threads);
            var keys = result.GetValue(keyCount);
            var validatorCount = result.GetValue(validators);
            VerificationBenchResult measured;
            try
            {
                measured = await Task.Run(() => VerificationBench.Run(keys, threadCount, TimeSpan.FromSeconds(duration), CancellationToken.None)).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return Invalid;
            }

            var cores = Environment.ProcessorCount;
            var bound = measured.BoundTransactionsPerSecond(cores, validatorCount);
            var output = result.InvocationConfiguration.Output;
            if (result.GetValue(json))
            {
                output.WriteLine(Client.ClientJson.VerificationBench(measured, cores, validatorCount));
            }
            else
            {
                var invariant = System.Globalization.CultureInfo.InvariantCulture;
                output.WriteLine(string.Create(invariant, $"ML-DSA-87 verification, fresh keys, {threadCount} thread(s), {measured.Elapsed.TotalSeconds:0.0} s: {measured.Verifications:N0} signatures, {measured.PerSecond:N0}/s, {measured.CpuMicrosecondsEach:0.0} µs of CPU each"));
                output.WriteLine(string.Create(invariant, $"signature-verification bound of {validatorCount} validator(s) on this machine's {cores} core(s): {cores} ÷ {measured.CpuMicrosecondsEach:0.0} µs ÷ {validatorCount} = {bound:N0} transactions/s"));
            }

            return 0;
        });
        return command;
    }

    private static Option<string?> ContextOption() => new("--context")
    {
        Description = $"ML-DSA context string in hex, 0-{MLDsa87.MaxContextSize} bytes (domain separation); verify must use the one sign used. Default: empty.",
    };

    /// <summary>The bytes of a <c>--context</c> hex string; a clear usage error otherwise.</summary>
    internal static byte[] ParseContext(string? hex)
    {
        if (string.IsNullOrEmpty(hex))
        {
            return [];
        }

        if (hex.Length % 2 != 0 || hex.AsSpan().ContainsAnyExcept(HexDigits))
        {
            throw new InvalidSettingException("--context", "must be hex (an even number of 0-9a-f characters).");
        }

        if (hex.Length / 2 > MLDsa87.MaxContextSize)
        {
            throw new InvalidSettingException("--context", $"is {hex.Length / 2} bytes; an ML-DSA context is at most {MLDsa87.MaxContextSize}.");
        }

        return Convert.FromHexString(hex);
    }

    private static bool IsSafeName(string name)
    {
        if (name.Length is 0 or > 100 || name[0] == '.')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '.' and not '-' and not '_')
            {
                return false;
            }
        }

        return true;
    }

    private static string Required(ParseResult result, Option<string?> option) =>
        result.GetValue(option) is { Length: > 0 } value ? value : throw new InvalidSettingException(option.Name, "is required.");

    private static void CreateDirectory(string directory)
    {
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                // Only a new directory gets 0700; an existing one is the operator's choice.
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            else
            {
                Directory.CreateDirectory(directory);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new IOException($"cannot create directory '{directory}': {ex.Message}", ex);
        }
    }

    private static byte[] ReadInput(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IOException($"{what} file '{path}' does not exist", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new IOException($"cannot read {what} file '{path}': {ex.Message}", ex);
        }
    }

    private static void WriteOutput(string path, ReadOnlySpan<byte> bytes, bool overwrite)
    {
        try
        {
            using var stream = new FileStream(path, new FileStreamOptions { Mode = overwrite ? FileMode.Create : FileMode.CreateNew, Access = FileAccess.Write });
            stream.Write(bytes);
        }
        catch (IOException ex) when (!overwrite && Path.Exists(path))
        {
            throw new IOException($"'{path}' already exists; pass --force to replace it", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new IOException($"cannot write '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Runs a keys subcommand so that every usage error exits 2, not System.CommandLine's default 1:
    /// for <c>keys verify</c>, 1 must mean "invalid signature" and nothing else. Clearing parse
    /// errors lets this action run despite them; it reports them itself.
    /// </summary>
    private sealed class KeysAction(Func<ParseResult, Task<int>> body) : AsynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
        {
            var error = parseResult.InvocationConfiguration.Error;
            if (parseResult.Errors.Count > 0 || parseResult.UnmatchedTokens.Count > 0)
            {
                foreach (var parseError in parseResult.Errors)
                {
                    await error.WriteLineAsync($"error: {parseError.Message}").ConfigureAwait(false);
                }

                foreach (var token in parseResult.UnmatchedTokens)
                {
                    await error.WriteLineAsync($"error: unrecognized argument '{token}'").ConfigureAwait(false);
                }

                await error.WriteLineAsync($"usage: see '{CommandPath(parseResult)} --help'").ConfigureAwait(false);
                return UsageOrIoError;
            }

            return await CommonOptions.GuardAsync(() => body(parseResult), error).ConfigureAwait(false);
        }

        private static string CommandPath(ParseResult parseResult)
        {
            var names = new List<string>();
            for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            {
                names.Insert(0, result.Command is RootCommand ? "cretoai-fast" : result.Command.Name);
            }

            return string.Join(' ', names);
        }
    }
}
