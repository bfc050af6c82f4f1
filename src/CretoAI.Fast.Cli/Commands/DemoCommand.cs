using System.CommandLine;
using System.Net;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net;
using CretoAI.Fast.Net.Load;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Cli.Commands;

/// <summary>
/// <c>cretoai-fast demo</c>, the main job until the validator cluster exists: starts a node on
/// loopback, connects clients to it over real TCP with the authenticated handshake, runs framed
/// Ping round trips at several connection counts and pipeline depths, and prints throughput and
/// latency percentiles for each.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var load = LoadOptions.Create(defaultMatrix: "1x1,1x16,32x1,32x16", defaultDuration: 3);
        var logLevel = CommonOptions.LogLevelOption();
        logLevel.DefaultValueFactory = _ => LogLevel.Warning;
        var command = new Command("demo", "Start a node on loopback and measure framed round trips against it (throughput, p50/p90/p99/p99.9 latency).")
        {
            logLevel,
        };
        load.AddTo(command);
        command.SetAction((result, cancellationToken) => CommonOptions.GuardAsync(async () =>
        {
            var chainId = CliDefaults.DevnetChainId;
            using var loggers = Logging.Create(result.GetValue(logLevel));
            var nodeSigner = MLDsa87Signer.Generate();
            await using var server = new FrameServer(new TransportOptions { ChainId = chainId }, nodeSigner, MLDsa87SignatureVerifier.Instance, logger: loggers.CreateLogger("cretoai.net"));
            var bound = server.Start(new IPEndPoint(IPAddress.Loopback, 0));
            Console.WriteLine($"node {nodeSigner.NodeId.ToShortString()} listening on {bound}; ML-DSA-87 authenticated sessions, CRC32C-checked frames");

            var client = new ClientOptions { ChainId = chainId, ExpectedServerId = nodeSigner.NodeId };
            var clientSigner = MLDsa87Signer.Generate();
            var failed = false;
            foreach (var (connections, depth) in load.Matrix(result))
            {
                var measured = await PingLoad.RunAsync(load.ToOptions(result, bound, connections, depth), client, clientSigner, MLDsa87SignatureVerifier.Instance, cancellationToken).ConfigureAwait(false);
                Console.WriteLine(measured.ToString());
                if (measured.Errors != 0 || measured.RoundTrips == 0)
                {
                    failed = true;
                    await Console.Error.WriteLineAsync($"error: {connections}x{depth}: {measured.Errors} failed round trips, {measured.RoundTrips} completed in the measured window").ConfigureAwait(false);
                }
            }

            Console.WriteLine($"server: {server.Counters.FramesReceived} frames received, {server.Counters.FramesSent} sent, {server.Counters.HandshakesFailed} failed handshakes");
            await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return failed ? 1 : 0;
        }));
        return command;
    }
}
