using System.CommandLine;
using System.Runtime.InteropServices;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Net;

namespace CretoAI.Fast.Cli.Commands;

/// <summary><c>cretoai-fast node run</c>: serve the framed protocol in the foreground until SIGINT/SIGTERM.</summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen")
        {
            Description = "IP:PORT to accept connections on. Port 0 picks a free port.",
            DefaultValueFactory = _ => $"127.0.0.1:{CliDefaults.Port}",
        };
        var chainId = CommonOptions.ChainId();
        var seed = new Option<string?>("--identity-seed")
        {
            Description = "ML-DSA-87 key seed, 64 hex characters. Default: a fresh random identity for this run.",
        };
        var identity = new Option<string?>("--identity")
        {
            Description = "Private key file (from 'cretoai-fast keys generate'; mode 0600) holding the node's identity. Instead of --identity-seed.",
        };
        var maxConnections = CommonOptions.Positive("--max-connections", "Most concurrent connections.", 10_000, 1_000_000);
        var maxPayload = CommonOptions.Positive("--max-payload", "Largest accepted frame payload in bytes (16384..16777216).", 1024 * 1024, 16 * 1024 * 1024);
        var maxInFlight = CommonOptions.Positive("--max-in-flight", "Most unanswered requests per connection.", 1024, 1_000_000);
        var idle = CommonOptions.Seconds("--idle-timeout", "Seconds without received bytes before a session is closed.", 300, 1);
        var handshake = CommonOptions.Seconds("--handshake-timeout", "Seconds a new connection has to complete the authenticated handshake.", 10, 0.1);
        var shutdown = CommonOptions.Seconds("--shutdown-timeout", "Seconds sessions get to finish in-flight work when the node stops.", 5, 0.1);
        var busyPoll = CommonOptions.InRange(
            "--busy-poll-us",
            $"Microseconds the receive loop may keep polling after a connection's requests before it sleeps (0: never; at most {TransportOptions.MaxBusyPollMicroseconds}).",
            TransportOptions.DefaultBusyPollMicroseconds,
            0,
            TransportOptions.MaxBusyPollMicroseconds);
        var logLevel = CommonOptions.LogLevelOption();

        var config = ConfigCommand.ConfigOption();
        var set = ConfigCommand.SetOption();
        var run = new Command(
            "run",
            "Run a node in the foreground. With --config (or --set): a validator of the chain in its genesis file, as in " +
            "'cretoai-fast node run --config DIR/node0/cretoai-fast.json' (see docs/operations.md; systemd notify and watchdog " +
            "supported; exit 0 after a clean SIGTERM/Ctrl-C stop, 1 on a runtime failure, 2 on bad settings). Without them: a " +
            "transport-only node that authenticates peers and answers pings (benchmarks), configured by the options below.")
        {
            config, set, listen, chainId, identity, seed, maxConnections, maxPayload, maxInFlight, idle, handshake, shutdown, busyPoll, logLevel,
        };
        run.SetAction((result, cancellationToken) => CommonOptions.GuardAsync(async () =>
        {
            if (result.GetValue(config) is not null || result.GetValue(set) is { Length: > 0 })
            {
                return await ValidatorRun.RunAsync(result.GetValue(config), result.GetValue(set) ?? [], cancellationToken).ConfigureAwait(false);
            }

            if (!EndpointParser.TryParseListen(result.GetValue(listen), out var endpoint, out var error))
            {
                throw new InvalidSettingException("--listen", error);
            }

            var signer = CreateSigner(result.GetValue(identity), result.GetValue(seed));
            var options = new TransportOptions
            {
                ChainId = result.GetValue(chainId),
                MaxConnections = result.GetValue(maxConnections),
                MaxPayloadLength = result.GetValue(maxPayload),
                MaxInFlightPerConnection = result.GetValue(maxInFlight),
                IdleTimeout = TimeSpan.FromSeconds(result.GetValue(idle)),
                HandshakeTimeout = TimeSpan.FromSeconds(result.GetValue(handshake)),
                ShutdownTimeout = TimeSpan.FromSeconds(result.GetValue(shutdown)),
                BusyPollMicroseconds = result.GetValue(busyPoll),
            };

            using var loggers = Logging.Create(result.GetValue(logLevel));
            await using var server = new FrameServer(options, signer, MLDsa87SignatureVerifier.Instance, logger: loggers.CreateLogger("cretoai.net"));
            var bound = server.Start(endpoint!);
            Console.WriteLine($"node {signer.NodeId} listening on {bound} chain {options.ChainId}");

            // SIGTERM (systemd stop, kill) and SIGINT (Ctrl-C) both mean: stop gracefully, exit 0.
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
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Fall through to a graceful stop.
            }

            await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return 0;
        }));

        return new Command("node", "Run and manage a validator node.") { run };
    }

    private static IMessageSigner CreateSigner(string? identityFile, string? seedHex)
    {
        if (identityFile is not null)
        {
            return seedHex is null
                ? KeyPair.Load(identityFile)
                : throw new InvalidSettingException("--identity", "give either --identity or --identity-seed, not both.");
        }

        if (seedHex is null)
        {
            return MLDsa87Signer.Generate();
        }

        if (!Hash32.TryParse(seedHex, out var seed))
        {
            throw new InvalidSettingException("--identity-seed", "must be 64 hex characters (32 bytes).");
        }

        return new MLDsa87Signer(seed.ToArray());
    }
}
