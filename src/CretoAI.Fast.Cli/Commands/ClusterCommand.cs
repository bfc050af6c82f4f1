using System.CommandLine;
using System.Runtime.InteropServices;
using CretoAI.Fast.Cli.Client;
using CretoAI.Fast.Cli.Cluster;
using CretoAI.Fast.Core;
using Spectre.Console;

namespace CretoAI.Fast.Cli.Commands;

/// <summary><c>cretoai-fast cluster up</c>: a local multi-validator testnet with load and a live view (docs/operations.md).</summary>
internal static class ClusterCommand
{
    public static Command Create(IClusterHost? host = null)
    {
        var cluster = new Command("cluster", "Run a local testnet of validator processes.") { Up(host ?? new LocalClusterHost()) };
        cluster.Action = new ClientCommandAction((_, _) => throw new InvalidSettingException("cluster", "choose a subcommand: up (see 'cretoai-fast cluster --help')."));
        return cluster;
    }

    private static Command Up(IClusterHost host)
    {
        var validators = CommonOptions.Positive("--validators", "Validators of a new testnet (an existing one in --dir keeps its own).", 4, TestnetCommand.MaxValidators);
        var directory = new Option<string>("--dir")
        {
            Description = "Directory of the testnet: node<i>/cretoai-fast.json, keys, genesis, data and node<i>/node.log. Created as 'testnet init --out DIR' would if it holds none; kept for the next run.",
            DefaultValueFactory = _ => "testnet",
        };
        var basePort = CommonOptions.InRange(
            "--base-port",
            $"Node i listens on 127.0.0.1:(base port + i) and serves metrics on base port + {TestnetCommand.MetricsPortOffset} + i, for a new testnet.",
            CliDefaults.Port,
            1024,
            65_000);
        var rate = new Option<double>("--rate")
        {
            Description = "Offered load in transactions per second, open loop (sent on schedule whatever the replies).",
            DefaultValueFactory = _ => 200,
            Validators =
            {
                result =>
                {
                    if (!CommonOptions.TryGetValue<double>(result, out var value))
                    {
                        return;
                    }

                    if (double.IsNaN(value) || value <= 0 || value > 100_000)
                    {
                        result.AddError($"--rate must be more than 0 and at most 100000 transactions per second (got {value}).");
                    }
                },
            },
        };
        var agents = CommonOptions.Positive("--agents", "Load agents: each a fresh ML-DSA-87 key sending transactions with its own nonces to one node.", 64, 100_000);
        var duration = CommonOptions.Seconds(
            "--duration",
            "Stop by itself after this many seconds (exit 1 if no block was committed); 0 runs until Ctrl-C or SIGTERM.",
            0,
            0,
            7 * 86_400);
        var noLoad = new Option<bool>("--no-load") { Description = "Start and watch the cluster without offering load." };
        var plain = new Option<bool>("--plain") { Description = "One plain status line per second instead of the live view (automatic when stdout is not a terminal)." };
        var command = new Command(
            "up",
            "Start a local testnet: create it in --dir if needed ('testnet init'), start one 'node run' process per validator (logs in --dir/node<i>/node.log), " +
            "offer signed transactions, and show height, commits/s, committed tx/s, commit latency p50/p99 and a table of the nodes. " +
            "Ctrl-C or SIGTERM (or --duration) stops the load, stops every node with SIGTERM and prints 'cluster: height=H committed_tx=T tx_per_s=R p50_ms=.. p99_ms=..'.")
        {
            validators, directory, basePort, rate, agents, duration, noLoad, plain,
        };
        command.Action = new ClientCommandAction(async (result, cancellationToken) =>
        {
            var seconds = result.GetValue(duration);
            var settings = new ClusterSettings(
                result.GetValue(validators),
                result.GetValue(directory) is { Length: > 0 } dir ? dir : throw new InvalidSettingException("--dir", "must not be empty."),
                result.GetValue(basePort),
                result.GetValue(rate),
                result.GetValue(agents),
                seconds > 0 ? TimeSpan.FromSeconds(seconds) : null,
                !result.GetValue(noLoad),
                result.GetValue(plain));
            if (settings.BasePort + TestnetCommand.MetricsPortOffset + settings.Validators - 1 > 65_535)
            {
                throw new InvalidSettingException("--base-port", $"{settings.BasePort} leaves no room for {settings.Validators} validators and their metrics ports (base + {TestnetCommand.MetricsPortOffset} + i) below 65536.");
            }

            var output = result.InvocationConfiguration.Output;
            var interactive = !settings.Plain && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
            IClusterView view = interactive ? new LiveClusterView(AnsiConsole.Console) : new PlainClusterView(output);

            // Ctrl-C and SIGTERM only cancel 'stop'; the runner then shuts the cluster down in order,
            // however long the nodes take. (System.CommandLine 2.0 installs no termination handler or
            // deadline of its own by default; a test pins that.)
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            return await new ClusterRunner(settings, host, view, output, result.InvocationConfiguration.Error).RunAsync(stop.Token).ConfigureAwait(false);
        });
        return command;
    }
}
