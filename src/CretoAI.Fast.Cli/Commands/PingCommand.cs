using System.CommandLine;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net;
using CretoAI.Fast.Net.Load;

namespace CretoAI.Fast.Cli.Commands;

/// <summary><c>cretoai-fast ping</c>: framed round trips against a running node, with throughput and latency percentiles.</summary>
internal static class PingCommand
{
    public static Command Create()
    {
        var node = new Option<string>("--node")
        {
            Description = "HOST:PORT of the node.",
            DefaultValueFactory = _ => $"127.0.0.1:{CliDefaults.Port}",
        };
        var chainId = CommonOptions.ChainId();
        var serverId = new Option<string?>("--server-id")
        {
            Description = "Expected node id (64 hex characters, SHA3-256 of its public key); the connection is refused if it differs.",
        };
        var load = LoadOptions.Create();

        var command = new Command("ping", "Measure framed round trips to a node: C connections x D pipelined Pings, closed loop. Prints rate and latency percentiles.")
        {
            node, chainId, serverId,
        };
        load.AddTo(command);
        command.SetAction((result, cancellationToken) => CommonOptions.GuardAsync(async () =>
        {
            if (!EndpointParser.TryParse(result.GetValue(node), out var endpoint, out var error))
            {
                throw new InvalidSettingException("--node", error);
            }

            Hash32? expected = null;
            if (result.GetValue(serverId) is { } text)
            {
                expected = Hash32.TryParse(text, out var id) ? id : throw new InvalidSettingException("--server-id", "must be 64 hex characters.");
            }

            var client = new ClientOptions { ChainId = result.GetValue(chainId), ExpectedServerId = expected };
            var signer = MLDsa87Signer.Generate();
            foreach (var (connections, depth) in load.Matrix(result))
            {
                var options = load.ToOptions(result, endpoint!, connections, depth);
                var measured = await PingLoad.RunAsync(options, client, signer, MLDsa87SignatureVerifier.Instance, cancellationToken).ConfigureAwait(false);
                Console.WriteLine(measured.ToString());
                if (measured.Errors != 0)
                {
                    await Console.Error.WriteLineAsync($"error: {measured.Errors} round trips failed").ConfigureAwait(false);
                    return 1;
                }
            }

            return 0;
        }));
        return command;
    }
}
