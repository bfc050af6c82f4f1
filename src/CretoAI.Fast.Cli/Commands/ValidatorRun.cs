using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Node.Chain;
using CretoAI.Fast.Node.Hosting;
using CretoAI.Fast.Node.Metrics;
using CretoAI.Fast.Node.Replica;
using CretoAI.Fast.Node.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Cli.Commands;

/// <summary>
/// <c>node run --config FILE</c>: loads the settings (file &lt; CRETOAI_FAST_* environment &lt; --set),
/// the genesis file and the identity key, checks them as <c>config check</c> does, and runs the
/// validator under the Generic Host (systemd notify, watchdog, graceful stop, metrics endpoint).
/// </summary>
internal static class ValidatorRun
{
    public static async Task<int> RunAsync(string? configPath, IReadOnlyList<string> overrides, CancellationToken cancellationToken)
    {
        var settings = NodeSettingsFile.Load(configPath, overrides);
        settings.ValidateFiles();

        // Storage opens while the genesis and key are read and the host is built and started (see
        // StorageOpening); only for settings that pass validation, so bad settings are still reported
        // by the host before anything is opened. A bad genesis or key closes it again.
        var storage = TryValidate(settings) ? StorageOpening.Start(settings) : null;
        KeyPair? identity = null;
        try
        {
            var genesis = GenesisFile.Load(settings.GenesisFile);
            identity = KeyPair.Load(settings.IdentityKeyFile);
            if (genesis.CreateValidatorSet().IndexOf(identity.NodeId) < 0)
            {
                throw new InvalidSettingException(
                    "identity_key_file",
                    $"node id {identity.NodeId} of '{settings.IdentityKeyFile}' is not one of the {genesis.Validators.Count} validators in '{settings.GenesisFile}'.");
            }

            var key = identity;
            return await ValidatorHost.RunAsync(
                new ValidatorHostOptions
                {
                    Settings = settings,
                    NodeFactory = services => new ValidatorNode(
                        settings,
                        genesis,
                        key,
                        services.GetRequiredService<ILoggerFactory>(),
                        services.GetRequiredService<PrometheusReplicaObserver>(),
                        storage),
                    TransportCounters = node => ((ValidatorNode)node).Transport,
                    IsHealthy = node => ((ValidatorNode)node).IsHealthy,
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            storage?.Dispose();
            identity?.Dispose();
        }
    }

    private static bool TryValidate(NodeSettings settings)
    {
        try
        {
            settings.Validate();
            return true;
        }
        catch (InvalidSettingException)
        {
            return false;
        }
    }
}
