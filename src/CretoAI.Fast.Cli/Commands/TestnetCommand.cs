using System.CommandLine;
using System.Globalization;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Node.Chain;
using CretoAI.Fast.Node.Settings;

namespace CretoAI.Fast.Cli.Commands;

/// <summary>
/// <c>cretoai-fast testnet init --validators N --out DIR [--base-port P] [--force]</c>: everything a
/// local N-validator cluster needs, as a stable contract for scripts (docs/operations.md, "Scriptable
/// contract"): <c>DIR/node&lt;i&gt;/</c> for i = 0..N-1, each holding <c>node.key</c> (mode 0600),
/// <c>node.pub</c>, <c>genesis.json</c> (identical in every node) and <c>cretoai-fast.json</c>
/// (data directory <c>data</c>, listen 127.0.0.1:P+i, the other validators as peers, metrics on
/// 127.0.0.1:P+100+i). Exit codes: 0 written, 2 usage or I/O error (nothing is left half-written).
/// </summary>
internal static class TestnetCommand
{
    /// <summary>Default first port: node i listens on 7400 + i.</summary>
    public const int DefaultBasePort = CliDefaults.Port;

    /// <summary>Metrics of node i listen on base port + this + i.</summary>
    public const int MetricsPortOffset = 100;

    public const int MaxValidators = 64;

    /// <summary>Each testnet validator bonds the default maximum bond and holds as much again unbonded.</summary>
    public const ulong ValidatorStake = 1_000_000;

    public const ulong ValidatorBalance = 1_000_000;

    public const uint ValidatorReputationPpm = 500_000;

    public static Command Create()
    {
        var validators = new Option<int?>("--validators")
        {
            Description = $"Number of validators, 1..{MaxValidators}. Required.",
        };
        var outDirectory = new Option<string?>("--out")
        {
            Description = "Directory to create the testnet in: DIR/node0 .. DIR/node<N-1>. Must be absent or empty unless --force. Required.",
        };
        var basePort = new Option<int>("--base-port")
        {
            Description = $"Node i listens on 127.0.0.1:(P+i) for validators and clients and serves metrics on 127.0.0.1:(P+{MetricsPortOffset}+i). Default {DefaultBasePort}.",
            DefaultValueFactory = _ => DefaultBasePort,
        };
        var force = new Option<bool>("--force")
        {
            Description = "Replace an existing testnet in DIR: removes every DIR/node<k> directory (keys and data included) first. Other files in DIR are kept.",
        };
        var chainName = new Option<string>("--chain-name")
        {
            Description = "Chain name written to genesis.json (hashed into the chain id). Default cretoai-testnet.",
            DefaultValueFactory = _ => "cretoai-testnet",
        };
        var genesisTime = new Option<ulong?>("--genesis-time-ms")
        {
            Description = "Genesis time, Unix milliseconds. Default: now.",
        };

        var init = new Command(
            "init",
            "Create a local testnet: per validator a key pair, the shared genesis.json and a config file ready for " +
            "'cretoai-fast node run --config DIR/node<i>/cretoai-fast.json'. Prints 'chain-id HEX', then one line per node: " +
            "'node<i> NODE-ID listen HOST:PORT metrics HOST:PORT config PATH'. Layout and ports: docs/operations.md.")
        {
            validators, outDirectory, basePort, force, chainName, genesisTime,
        };
        init.Action = new ScriptAction(result =>
        {
            var count = result.GetValue(validators) ?? throw new InvalidSettingException("--validators", $"is required (1..{MaxValidators}).");
            var directory = result.GetValue(outDirectory) is { Length: > 0 } d ? d : throw new InvalidSettingException("--out", "is required.");
            var layout = new TestnetLayout(
                count,
                directory,
                result.GetValue(basePort),
                result.GetValue(chainName) ?? string.Empty,
                result.GetValue(genesisTime) ?? (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            var output = result.InvocationConfiguration.Output;
            var created = Init(layout, result.GetValue(force));
            output.WriteLine($"chain-id {created.ChainId}");
            for (var i = 0; i < count; i++)
            {
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"node{i} {created.NodeIdOf(i)} listen {layout.Listen(i)} metrics {layout.Metrics(i)} config {Path.Combine(layout.NodeDirectory(i), NodeSettingsFile.DefaultFileName)}"));
            }

            return Task.FromResult(0);
        });

        var testnet = new Command("testnet", "Create local test networks (see 'testnet init').") { init };
        testnet.Action = new ScriptAction(_ => throw new InvalidSettingException("testnet", "choose a subcommand: init (see 'cretoai-fast testnet init --help')."));
        return testnet;
    }

    /// <summary>Writes the testnet described by <paramref name="layout"/>; returns its genesis.</summary>
    internal static ChainGenesis Init(TestnetLayout layout, bool force)
    {
        layout.Validate();
        var root = Path.GetFullPath(layout.Directory);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any() && !force)
        {
            throw new InvalidSettingException("--out", $"'{layout.Directory}' already exists and is not empty; refusing to overwrite a testnet (pass --force to replace it).");
        }

        if (File.Exists(root))
        {
            throw new InvalidSettingException("--out", $"'{layout.Directory}' is a file.");
        }

        Directory.CreateDirectory(root);

        // Everything is built in a staging directory beside the nodes and moved into place at the
        // end, so a failure (disk full, permissions) leaves no half-written testnet behind.
        var staging = Path.Combine(root, $".testnet-init-{Guid.NewGuid():N}");
        CreatePrivateDirectory(staging);
        try
        {
            var keys = new KeyPair[layout.Validators];
            try
            {
                var members = new GenesisValidator[layout.Validators];
                for (var i = 0; i < keys.Length; i++)
                {
                    keys[i] = KeyPair.Generate();
                    members[i] = new GenesisValidator($"node{i}", keys[i].PublicKey.ToArray(), ValidatorStake, ValidatorReputationPpm, ValidatorBalance);
                }

                var genesis = new ChainGenesis
                {
                    ChainName = layout.ChainName,
                    GenesisTimeMs = layout.GenesisTimeMs,
                    EpochLengthBlocks = Reputation.Ledger.LedgerRules.Default.EpochLengthBlocks,
                    Validators = members,
                };
                try
                {
                    genesis.Validate();
                }
                catch (GenesisException e)
                {
                    var option = e.Field switch
                    {
                        "chain_name" => "--chain-name",
                        "genesis_time_ms" => "--genesis-time-ms",
                        _ => "genesis",
                    };
                    throw new InvalidSettingException(option, e.Reason, e);
                }

                for (var i = 0; i < keys.Length; i++)
                {
                    var node = Path.Combine(staging, $"node{i}");
                    CreatePrivateDirectory(node);
                    keys[i].WritePrivateKeyFile(Path.Combine(node, "node.key"), overwrite: false);
                    keys[i].WritePublicKeyFile(Path.Combine(node, "node.pub"), overwrite: false);
                    GenesisFile.Save(genesis, Path.Combine(node, "genesis.json"));
                    NodeSettingsFile.Write(layout.Settings(i), Path.Combine(node, NodeSettingsFile.DefaultFileName));
                }

                if (force)
                {
                    RemoveOldNodes(root);
                }

                for (var i = 0; i < keys.Length; i++)
                {
                    Directory.Move(Path.Combine(staging, $"node{i}"), layout.NodeDirectory(i));
                }

                return genesis;
            }
            finally
            {
                foreach (var key in keys)
                {
                    key?.Dispose();
                }
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static void RemoveOldNodes(string root)
    {
        foreach (var entry in Directory.EnumerateDirectories(root, "node*"))
        {
            var name = Path.GetFileName(entry);
            if (name.Length > 4 && !name.AsSpan(4).ContainsAnyExceptInRange('0', '9'))
            {
                Directory.Delete(entry, recursive: true);
            }
        }
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
