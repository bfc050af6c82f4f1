using System.CommandLine;
using CretoAI.Fast.Cli.Client;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Net.Client;
using CretoAI.Fast.Wire.Client;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Cli.Commands;

/// <summary><c>cretoai-fast tx submit</c>: build, sign and submit one transaction; optionally wait until it is committed.</summary>
internal static class TxCommand
{
    public static Command Create()
    {
        var tx = new Command("tx", "Build, sign and submit transactions.") { Submit() };
        tx.Action = new ClientCommandAction((_, _) => throw new InvalidSettingException("tx", "choose a subcommand: submit (see 'cretoai-fast tx --help')."));
        return tx;
    }

    private static Command Submit()
    {
        var node = ClientCommandOptions.Node();
        var key = new Option<string?>("--key")
        {
            Description = "Private key file of the sender (NAME.key from 'cretoai-fast keys generate', mode 0600). The sender id is SHA3-256 of its public key. Required.",
        };
        var kind = new Option<string?>("--kind")
        {
            Description = $"What the transaction does: {string.Join(", ", TransactionEnvelopes.KindNames)}. Required.",
        };
        kind.AcceptOnlyFromAmong([.. TransactionEnvelopes.KindNames]);
        var nonce = new Option<ulong?>("--nonce")
        {
            Description = "The sender's next nonce: 1 for a key's first transaction, then the previous one + 1. Required (the node keeps no per-client counter you could ask).",
        };
        var data = new Option<string?>("--data") { Description = "payload: the text to commit (UTF-8, at most 65536 bytes). Default: empty." };
        var amount = new Option<ulong?>("--amount") { Description = "bond, unbond: stake units (a whole number, at least 1)." };
        var name = new Option<string?>("--name") { Description = "agent-register, agent-update: the agent's name." };
        var tags = new Option<string?>("--tags") { Description = "agent-register, agent-update: comma-separated tags, e.g. search,summarise." };
        var wait = new Option<bool>("--wait")
        {
            Description = "After admission, wait until the transaction is in a committed block and print its height and verdict. " +
                          "Exit 0 if applied (or not_interpreted, a kind this chain has no rules for), 1 otherwise (rejected: e.g. a wrong nonce) or on timeout.",
        };
        var timeout = ClientCommandOptions.Timeout("With --wait: seconds to wait for the commit after admission.", 30);
        var json = ClientCommandOptions.Json();
        var chain = new ChainIdResolver();
        var command = new Command(
            "submit",
            "Build and sign a transaction with --key, submit it to --node and print its id (SHA3-256 of the envelope) and admission status. " +
            "Exit 0 when admitted (and, with --wait, committed and applied), 1 when refused, not applied or timed out, 2 for bad options.")
        {
            node, key, kind, nonce, data, amount, name, tags, wait, timeout, json,
        };
        chain.AddTo(command);
        command.Action = new ClientCommandAction(async (result, cancellationToken) =>
        {
            var nodeText = result.GetValue(node)!;
            var endpoint = NodeConnector.ParseNode(nodeText);
            var chosen = TransactionEnvelopes.ParseKind(result.GetValue(kind));
            TransactionEnvelopes.RequireAvailable(chosen);
            var keyPath = result.GetValue(key) is { Length: > 0 } path ? path : throw new InvalidSettingException("--key", "is required: the sender's private key file.");
            var sequence = result.GetValue(nonce) ?? throw new InvalidSettingException("--nonce", "is required: the sender's next nonce (1 for a new key, then the last one + 1).");
            if (sequence == 0)
            {
                throw new InvalidSettingException("--nonce", "must be at least 1 (the first transaction of a key has nonce 1).");
            }

            var tagList = (result.GetValue(tags) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var chainId = chain.Resolve(result);
            var waitForCommit = result.GetValue(wait);
            var asJson = result.GetValue(json);
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;

            using var sender = KeyPair.Load(keyPath);
            await using var client = await NodeConnector.ConnectAsync(nodeText, endpoint, chainId, sender, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);

            // Signed for the node's chain (learned at the handshake unless --chain-id pinned it).
            var envelope = TransactionEnvelopes.Build(chosen, sender, client.ChainId, sequence, result.GetValue(data), result.GetValue(amount), result.GetValue(name), tagList);
            var id = TransactionIds.Of(envelope);

            // Subscribe before submitting, from the height after the current one: the commit cannot
            // be missed, however fast it comes.
            using var waitLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            IAsyncEnumerator<CommittedBlockMessage>? notices = null;
            var firstNotice = Task.FromResult(false);
            ulong startHeight = 0;
            if (waitForCommit)
            {
                startHeight = (await client.StatusAsync(cancellationToken).ConfigureAwait(false)).Height;
                notices = client.SubscribeAsync(startHeight + 1, waitLimit.Token).GetAsyncEnumerator(waitLimit.Token);
                firstNotice = notices.MoveNextAsync().AsTask();
            }

            try
            {
                var admission = await client.SubmitAsync(envelope, cancellationToken).ConfigureAwait(false);
                if (!asJson)
                {
                    var detail = admission.Detail.Length == 0 ? string.Empty : $" ({admission.Detail})";
                    await output.WriteLineAsync($"tx {id} nonce {sequence}: {SubmitStatuses.Name(admission.Status)}{detail}").ConfigureAwait(false);
                }

                if (!SubmitStatuses.IsAdmitted(admission.Status))
                {
                    await WriteJsonAsync(asJson, output, id, admission, sequence, null).ConfigureAwait(false);
                    throw new CommandFailedException($"transaction refused by {nodeText}: {SubmitStatuses.Name(admission.Status)}{(admission.Detail.Length == 0 ? string.Empty : ": " + admission.Detail)}");
                }

                if (notices is null)
                {
                    await WriteJsonAsync(asJson, output, id, admission, sequence, null).ConfigureAwait(false);
                    return 0;
                }

                var limit = TimeSpan.FromSeconds(result.GetValue(timeout));
                waitLimit.CancelAfter(limit);
                TransactionCommit? commit;
                try
                {
                    commit = await FindCommitAsync(notices, firstNotice, id).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    var height = await TryHeightAsync(client).ConfigureAwait(false);
                    await WriteJsonAsync(asJson, output, id, admission, sequence, null).ConfigureAwait(false);
                    throw new CommandFailedException($"transaction {id} not committed within {limit.TotalSeconds:0.#} s (node height is {height})", ex);
                }

                if (commit is not { } found)
                {
                    throw new CommandFailedException($"the node ended the commit stream before transaction {id} was committed");
                }

                await WriteJsonAsync(asJson, output, id, admission, sequence, found).ConfigureAwait(false);
                var verdict = TransactionVerdicts.Name(found.Entry.Verdict);
                if (!asJson)
                {
                    var reason = found.Entry.Reason is { } why ? $": {why}" : string.Empty;
                    await output.WriteLineAsync($"committed at height {found.Height} (block {found.BlockHash.ToShortString()}): {verdict}{reason}").ConfigureAwait(false);
                }

                if (!TransactionVerdicts.IsSuccess(found.Entry.Verdict))
                {
                    await error.WriteLineAsync($"error: transaction {id} committed at height {found.Height} but not applied: {verdict}{(found.Entry.Reason is { } r ? ": " + r : string.Empty)}").ConfigureAwait(false);
                    return ClientCommandAction.Failed;
                }

                return 0;
            }
            finally
            {
                if (notices is not null)
                {
                    // An async iterator cannot be disposed while a MoveNextAsync is pending: stop the
                    // wait, let the pending read finish, then dispose (which cancels the stream).
                    await waitLimit.CancelAsync().ConfigureAwait(false);
                    try
                    {
                        await firstNotice.ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is OperationCanceledException or IOException or Net.WireException or SubscriptionOverflowException)
                    {
                        // The wait is over either way.
                    }

                    await notices.DisposeAsync().ConfigureAwait(false);
                }
            }
        });
        return command;
    }

    /// <summary>Reads commit notices until one lists <paramref name="id"/>; null if the stream ends first.</summary>
    internal static async Task<TransactionCommit?> FindCommitAsync(IAsyncEnumerator<CommittedBlockMessage> notices, Task<bool> first, Hash32 id)
    {
        var next = new ValueTask<bool>(first);
        while (await next.ConfigureAwait(false))
        {
            var block = notices.Current;
            foreach (var entry in block.Transactions)
            {
                if (entry.Id == id)
                {
                    return new TransactionCommit(block.Height, block.BlockHash, entry);
                }
            }

            next = notices.MoveNextAsync();
        }

        return null;
    }

    private static async Task<string> TryHeightAsync(NodeClient client)
    {
        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return (await client.StatusAsync(quick.Token).ConfigureAwait(false)).Height.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or Net.WireException)
        {
            return "unknown";
        }
    }

    private static Task WriteJsonAsync(bool asJson, TextWriter output, Hash32 id, SubmitResultMessage admission, ulong nonce, TransactionCommit? commit) =>
        asJson ? output.WriteLineAsync(ClientJson.Submission(id, admission, nonce, commit)) : Task.CompletedTask;
}
