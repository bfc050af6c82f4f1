using System.CommandLine;
using System.CommandLine.Invocation;
using System.Net.Sockets;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Net;

namespace CretoAI.Fast.Cli.Client;

/// <summary>
/// Runs a client command (status, block, tx, cluster) with the exit codes scripts rely on: 0 done,
/// 1 the node or the transaction failed (unreachable, refused, not committed, timed out), 2 bad
/// input (unknown option, bad value, unreadable key file), 130 interrupted before the command could
/// finish its own way. Each failure is one line on stderr that says which. Clearing parse errors
/// lets this action report them itself, so they exit 2 rather than System.CommandLine's 1.
/// </summary>
internal sealed class ClientCommandAction(Func<ParseResult, CancellationToken, Task<int>> body) : AsynchronousCommandLineAction
{
    public const int Failed = 1;

    public const int BadInput = 2;

    public override bool ClearsParseErrors => true;

    public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        var error = parseResult.InvocationConfiguration.Error;
        if (parseResult.Errors.Count > 0 || parseResult.UnmatchedTokens.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}").ConfigureAwait(false);
            }

            foreach (var token in parseResult.UnmatchedTokens)
            {
                await error.WriteLineAsync($"error: unrecognized argument '{token}'").ConfigureAwait(false);
            }

            await error.WriteLineAsync($"usage: see '{CommandPath(parseResult)} --help'").ConfigureAwait(false);
            return BadInput;
        }

        try
        {
            return await body(parseResult, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidSettingException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
        catch (KeyFileException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
        catch (CommandFailedException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (WireException ex) when (ex.Code == Wire.WireErrorCode.UnknownMessageType)
        {
            await error.WriteLineAsync("error: the node does not serve the client protocol (it answered UnknownMessageType): it is not a validator node, or runs an older version").ConfigureAwait(false);
            return Failed;
        }
        catch (Exception ex) when (ex is WireException or IOException or SocketException or TimeoutException or OperationCanceledException or Net.Client.SubscriptionOverflowException)
        {
            // The node went away or answered with an error in the middle of the command.
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return Failed;
        }
    }

    private static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command is RootCommand ? "cretoai-fast" : result.Command.Name);
        }

        return string.Join(' ', names);
    }
}
