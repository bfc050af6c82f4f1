using System.CommandLine;
using CretoAI.Fast.Cli.Commands;

namespace CretoAI.Fast.Cli;

/// <summary>Entry point of the <c>cretoai-fast</c> executable.</summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        PreferInlineSocketCompletions();
        return BuildRoot().Parse(args).InvokeAsync();
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

    /// <summary>The command tree; exposed for tests that parse command lines without running them.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "cretoai-fast: post-quantum BFT consensus daemon for AI-agent state.\n" +
            "Start with 'cretoai-fast demo' to run a node and a load client on loopback.");
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(NodeCommand.Create());
        root.Subcommands.Add(PingCommand.Create());
        root.Subcommands.Add(KeysCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(BlockCommand.Create());
        root.Subcommands.Add(TxCommand.Create());
        root.Subcommands.Add(TestnetCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(ClusterCommand.Create());
        return root;
    }
}
