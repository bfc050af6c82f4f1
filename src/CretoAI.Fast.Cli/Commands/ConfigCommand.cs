using System.CommandLine;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Node.Chain;
using CretoAI.Fast.Node.Settings;

namespace CretoAI.Fast.Cli.Commands;

/// <summary>
/// <c>cretoai-fast config check --config FILE [--set setting=value]...</c>: every start-up check of
/// <c>node run</c> without running a node: the settings (file &lt; environment &lt; --set), the
/// genesis file, the identity key and that the key is one of the genesis validators. Prints
/// <c>chain-id HEX</c>, <c>node-id HEX validator I of N (NAME)</c> and the effective settings as
/// JSON; exits 0, or 2 with one <c>error:</c> line naming the problem. Suits <c>ExecStartPre=</c>.
/// </summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var config = ConfigOption();
        var set = SetOption();
        var check = new Command(
            "check",
            "Check a node's settings, genesis file and identity key as 'node run' would at start-up, without starting a node. " +
            "Prints the chain id, this node's validator index and the effective settings (JSON). Exit 0 valid, 2 not (one 'error:' line says why).")
        {
            config, set,
        };
        check.Action = new ScriptAction(result =>
        {
            Check(result, config, set);
            return Task.FromResult(0);
        });

        var command = new Command("config", "Check node settings files (see 'config check').") { check };
        command.Action = new ScriptAction(_ => throw new InvalidSettingException("config", "choose a subcommand: check (see 'cretoai-fast config check --help')."));
        return command;
    }

    private static void Check(ParseResult result, Option<string?> config, Option<string[]> set)
    {
        var output = result.InvocationConfiguration.Output;
        var settings = NodeSettingsFile.Load(result.GetValue(config), result.GetValue(set));
        settings.ValidateFiles();
        var genesis = GenesisFile.Load(settings.GenesisFile);
        using var identity = KeyPair.Load(settings.IdentityKeyFile);
        var index = genesis.CreateValidatorSet().IndexOf(identity.NodeId);
        if (index < 0)
        {
            throw new InvalidSettingException(
                "identity_key_file",
                $"node id {identity.NodeId} of '{settings.IdentityKeyFile}' is not one of the {genesis.Validators.Count} validators in '{settings.GenesisFile}'.");
        }

        output.WriteLine($"chain-id {genesis.ChainId}");
        output.WriteLine($"node-id {identity.NodeId} validator {index} of {genesis.Validators.Count} ({genesis.Validators[index].Name})");
        output.Write(NodeSettingsFile.ToJson(settings));
    }

    /// <summary>The <c>--config FILE</c> option, as <c>node run</c> takes it.</summary>
    public static Option<string?> ConfigOption() => new("--config")
    {
        Description = "Node settings file (JSON, comments allowed; see docs/operations.md). Relative paths in it are relative to its directory. " +
            "Without it: defaults, CRETOAI_FAST_* environment variables and --set, paths relative to the current directory.",
    };

    /// <summary>The repeatable <c>--set setting=value</c> option, as <c>node run</c> takes it.</summary>
    public static Option<string[]> SetOption() => new("--set")
    {
        Description = "Override one setting, e.g. --set listen=0.0.0.0:7400 (repeatable; wins over the file and CRETOAI_FAST_* environment variables).",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
    };
}
