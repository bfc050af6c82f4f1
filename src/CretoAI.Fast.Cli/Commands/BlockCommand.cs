using System.CommandLine;
using System.Globalization;
using System.Text;
using CretoAI.Fast.Cli.Client;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Cli.Commands;

/// <summary><c>cretoai-fast block</c>: one committed block with its transactions' ids and verdicts.</summary>
internal static class BlockCommand
{
    public static Command Create()
    {
        var node = ClientCommandOptions.Node();
        var height = new Option<ulong?>("--height")
        {
            Description = "Height of the committed block (1 is the first block after genesis). Required.",
        };
        var json = ClientCommandOptions.Json();
        var timeout = ClientCommandOptions.Timeout("Seconds to wait for the connection and the answer.", 10);
        var chain = new ChainIdResolver();
        var command = new Command(
            "block",
            "Show a committed block: id, state hash, round, time, proposer and each transaction's id and verdict. " +
            "Exit 0 when shown, 1 when the block is not committed yet or the node could not be asked, 2 for bad options.")
        {
            node, height, json, timeout,
        };
        chain.AddTo(command);
        command.Action = new ClientCommandAction(async (result, cancellationToken) =>
        {
            var nodeText = result.GetValue(node)!;
            var endpoint = NodeConnector.ParseNode(nodeText);
            var wanted = result.GetValue(height) ?? throw new Core.InvalidSettingException("--height", "is required (the block height, 1 or more).");
            if (wanted == 0)
            {
                throw new Core.InvalidSettingException("--height", "must be at least 1 (height 0 is genesis, which has no block).");
            }

            var chainId = chain.Resolve(result);
            var limit = TimeSpan.FromSeconds(result.GetValue(timeout));
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(limit);
            using var identity = MLDsa87Signer.Generate();
            await using var client = await NodeConnector.ConnectAsync(nodeText, endpoint, chainId, identity, limit, cancellationToken).ConfigureAwait(false);
            try
            {
                var block = await client.GetBlockAsync(wanted, deadline.Token).ConfigureAwait(false);
                if (block is null)
                {
                    var status = await client.StatusAsync(deadline.Token).ConfigureAwait(false);
                    throw new CommandFailedException($"block {wanted} not committed yet (node height is {status.Height})");
                }

                var output = result.InvocationConfiguration.Output;
                await output.WriteLineAsync(result.GetValue(json) ? ClientJson.Block(block) : Describe(block)).ConfigureAwait(false);
                return 0;
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CommandFailedException($"{nodeText} did not answer within {limit.TotalSeconds:0.#} s", ex);
            }
        });
        return command;
    }

    internal static string Describe(CommittedBlockMessage block)
    {
        var text = new StringBuilder();
        var time = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(block.TimestampMs, 253_402_300_799_999UL)).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        text.Append(CultureInfo.InvariantCulture, $"height           {block.Height}\n");
        text.Append(CultureInfo.InvariantCulture, $"block hash       {block.BlockHash}\n");
        text.Append(CultureInfo.InvariantCulture, $"state hash       {block.StateHash}\n");
        text.Append(CultureInfo.InvariantCulture, $"round            {block.Round}\n");
        text.Append(CultureInfo.InvariantCulture, $"time             {time} ({block.TimestampMs} ms)\n");
        text.Append(CultureInfo.InvariantCulture, $"proposer         {(block.ProposerIndex < 0 ? "unknown" : block.ProposerIndex.ToString(CultureInfo.InvariantCulture))}\n");
        text.Append(CultureInfo.InvariantCulture, $"transactions     {block.Transactions.Count}");
        foreach (var entry in block.Transactions)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {entry.Id}  {TransactionVerdicts.Name(entry.Verdict)}");
            if (entry.Reason is { } reason)
            {
                text.Append(CultureInfo.InvariantCulture, $": {reason}");
            }
        }

        return text.ToString();
    }
}
