using System.Globalization;
using CretoAI.Fast.Core;
using CretoAI.Fast.Node.Settings;

namespace CretoAI.Fast.Cli.Commands;

/// <summary>Where <c>testnet init</c> puts each node and which ports it gives it (the documented contract).</summary>
internal sealed record TestnetLayout(int Validators, string Directory, int BasePort, string ChainName, ulong GenesisTimeMs)
{
    public string NodeDirectory(int index) => Path.Combine(Path.GetFullPath(Directory), string.Create(CultureInfo.InvariantCulture, $"node{index}"));

    public string Listen(int index) => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{BasePort + index}");

    public string Metrics(int index) => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{BasePort + TestnetCommand.MetricsPortOffset + index}");

    /// <summary>Node <paramref name="index"/>'s settings: paths relative to its directory, its ports, every other node as a peer.</summary>
    public NodeSettings Settings(int index)
    {
        var settings = new NodeSettings
        {
            DataDirectory = "data",
            IdentityKeyFile = "node.key",
            GenesisFile = "genesis.json",
            Listen = Listen(index),
            MetricsListen = Metrics(index),
            VerifyThreads = VerifyThreadsFor(Validators, Environment.ProcessorCount),
        };
        for (var j = 0; j < Validators; j++)
        {
            if (j != index)
            {
                settings.Peers.Add(Listen(j));
            }
        }

        return settings.Validate();
    }

    /// <summary>
    /// The local validators share this machine's cores: each verifies on its share (at least one
    /// thread). With every validator using every core, four validators on two cores spent their time
    /// handing batches between threads (docs/benchmarks.md, "Verifier threads").
    /// </summary>
    public static int VerifyThreadsFor(int validators, int cores) => Math.Max(1, cores / Math.Max(1, validators));

    public void Validate()
    {
        if (Validators is < 1 or > TestnetCommand.MaxValidators)
        {
            throw new InvalidSettingException("--validators", $"{Validators} is outside 1..{TestnetCommand.MaxValidators}.");
        }

        var last = (long)BasePort + TestnetCommand.MetricsPortOffset + Validators - 1;
        if (BasePort is < 1 || last > 65535)
        {
            throw new InvalidSettingException(
                "--base-port",
                $"{BasePort} does not leave room for {Validators} nodes: ports {BasePort}..{BasePort + Validators - 1} and metrics {BasePort + TestnetCommand.MetricsPortOffset}..{last} must all be in 1..65535.");
        }
    }
}
