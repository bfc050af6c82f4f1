using System.CommandLine;
using CretoAI.Fast.Cli.Commands;

namespace CretoAI.Fast.Cli;

/// <summary>Entry point of the <c>cretoai-fast</c> executable.</summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        PreferInlineSocketCompletions();
        return BuildRoot(args).Parse(args).InvokeAsync();
    }

    /// <summary>
    /// Runs socket continuations on the epoll thread that saw the event instead of queueing them to
    /// the thread pool. Our continuations are short and never block (handshake cryptography is sent
    /// to the thread pool explicitly), and skipping the hop roughly doubles small-frame round trips
    /// per second on 2 cores (docs/benchmarks.md). The runtime reads this variable when the first
    /// socket is created, so it must be set before that; an operator's own setting wins.
    /// </summary>
    private static void PreferInlineSocketCompletions()
    {
        const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }

    /// <summary>The top-level commands by name, in the order help lists them.</summary>
    internal static readonly (string Name, Func<Command> Create)[] Commands =
    [
        ("demo", DemoCommand.Create),
        ("node", NodeCommand.Create),
        ("ping", PingCommand.Create),
        ("keys", KeysCommand.Create),
        ("simulate", SimulateCommand.Create),
        ("status", StatusCommand.Create),
        ("block", BlockCommand.Create),
        ("tx", TxCommand.Create),
        ("testnet", TestnetCommand.Create),
        ("config", ConfigCommand.Create),
        ("cluster", () => ClusterCommand.Create()),
    ];

    /// <summary>
    /// The command tree; exposed for tests that parse command lines without running them. When the
    /// first of <paramref name="args"/> names a command, only that command is built under the root:
    /// such a command line parses the same, and every start (the daemon's included) skips building
    /// the other ten (all eleven took ~2 ms of a traced start-up, docs/benchmarks.md, "Daemon"). Anything else
    /// (no arguments, an option or response file first, a misspelt command) gets the whole tree, so
    /// help and suggestions still see every command.
    /// </summary>
    public static RootCommand BuildRoot(IReadOnlyList<string>? args = null)
    {
        var root = new RootCommand(
            "cretoai-fast: post-quantum BFT consensus daemon for AI-agent state.\n" +
            "Start with 'cretoai-fast demo' to run a node and a load client on loopback.");
        var first = args is { Count: > 0 } ? args[0] : null;
        foreach (var (name, create) in Commands)
        {
            if (string.Equals(first, name, StringComparison.Ordinal))
            {
                root.Subcommands.Add(create());
                return root;
            }
        }

        foreach (var (_, create) in Commands)
        {
            root.Subcommands.Add(create());
        }

        return root;
    }
}
