using System.CommandLine;
using CretoAI.Fast.Cli.Commands;

namespace CretoAI.Fast.Cli;

/// <summary>Entry point of the <c>cretoai-fast</c> executable.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => BuildRoot().Parse(args).InvokeAsync();

    /// <summary>The command tree; exposed for tests that parse command lines without running them.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "cretoai-fast: post-quantum BFT consensus daemon for AI-agent state.\n" +
            "Start with 'cretoai-fast demo' to run a node and a load client on loopback.");
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(NodeCommand.Create());
        root.Subcommands.Add(PingCommand.Create());
        return root;
    }
}
