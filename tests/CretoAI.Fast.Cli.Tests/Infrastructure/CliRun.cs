using System.CommandLine;

namespace CretoAI.Fast.Cli.Tests.Infrastructure;

/// <summary>Runs the command line in process, as a user would, capturing stdout and stderr.</summary>
internal static class CliRun
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Program.BuildRoot(args).Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
