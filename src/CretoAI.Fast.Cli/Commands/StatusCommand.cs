using System.CommandLine;
using System.Globalization;
using CretoAI.Fast.Cli.Client;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Cli.Commands;

/// <summary><c>cretoai-fast status</c>: one node's progress (height, hashes, round, links, mempool), as text or one JSON object.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var node = ClientCommandOptions.Node();
        var json = ClientCommandOptions.Json();
        var timeout = ClientCommandOptions.Timeout("Seconds to wait for the connection and the answer.", 10);
        var chain = new ChainIdResolver();
        var command = new Command(
            "status",
            "Ask a node for its status: height, last block and state hash, round, epoch, validator links, mempool, catch-up and threat level. " +
            "Exit 0 when the node answered, 1 when it could not be reached or refused, 2 for bad options.")
        {
            node, json, timeout,
        };
        chain.AddTo(command);
        command.Action = new ClientCommandAction(async (result, cancellationToken) =>
        {
            var nodeText = result.GetValue(node)!;
            var endpoint = NodeConnector.ParseNode(nodeText);
            var chainId = chain.Resolve(result);
            var limit = TimeSpan.FromSeconds(result.GetValue(timeout));
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(limit);
            using var identity = MLDsa87Signer.Generate();
            await using var client = await NodeConnector.ConnectAsync(nodeText, endpoint, chainId, identity, limit, cancellationToken).ConfigureAwait(false);
            StatusMessage status;
            try
            {
                status = await client.StatusAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CommandFailedException($"{nodeText} did not answer the status request within {limit.TotalSeconds:0.#} s", ex);
            }

            var output = result.InvocationConfiguration.Output;
            await output.WriteLineAsync(result.GetValue(json) ? ClientJson.Status(status) : Describe(status)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    internal static string Describe(StatusMessage status)
    {
        var rows = new (string Name, string Value)[]
        {
            ("node", status.NodeId.ToString()),
            ("chain", status.ChainId.ToString()),
            ("validator index", status.ValidatorIndex < 0 ? "none (not a validator)" : status.ValidatorIndex.ToString(CultureInfo.InvariantCulture)),
            ("height", status.Height.ToString(CultureInfo.InvariantCulture)),
            ("block hash", status.BlockHash.ToString()),
            ("state hash", status.StateHash.ToString()),
            ("round", status.Round.ToString(CultureInfo.InvariantCulture)),
            ("epoch", status.Epoch.ToString(CultureInfo.InvariantCulture)),
            ("validator links", status.ConnectedValidators.ToString(CultureInfo.InvariantCulture)),
            ("mempool", $"{status.MempoolTransactions} transactions, {status.MempoolBytes} bytes"),
            ("catching up", status.CatchingUp ? "yes" : "no"),
            ("committed tx", status.CommittedTransactions.ToString(CultureInfo.InvariantCulture)),
            ("threat level", status.ThreatLevel.ToString(CultureInfo.InvariantCulture)),
        };
        return string.Join('\n', rows.Select(r => $"{r.Name,-16} {r.Value}"));
    }
}
