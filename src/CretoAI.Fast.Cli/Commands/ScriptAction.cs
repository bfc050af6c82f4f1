using System.CommandLine;
using System.CommandLine.Invocation;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Cli.Commands;

/// <summary>
/// Runs a command of the scriptable contract (docs/operations.md: testnet, config) so that every
/// usage error exits 2, like <c>keys</c>: scripts tell "bad arguments, settings or files" from
/// success by the exit code alone. Parse errors are cleared so this action runs and reports them
/// itself; expected failures become one <c>error:</c> line. Both go to the invocation's error writer.
/// </summary>
internal sealed class ScriptAction(Func<ParseResult, Task<int>> body) : AsynchronousCommandLineAction
{
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
            return 2;
        }

        try
        {
            return await body(parseResult).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidSettingException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 2;
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
