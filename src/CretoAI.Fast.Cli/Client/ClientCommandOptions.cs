using System.CommandLine;

namespace CretoAI.Fast.Cli.Client;

/// <summary>Options every client command (status, block, tx submit) takes.</summary>
internal static class ClientCommandOptions
{
    public static Option<string> Node() => new("--node")
    {
        Description = "HOST:PORT of the node to ask (its client port).",
        DefaultValueFactory = _ => $"127.0.0.1:{CliDefaults.Port}",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print exactly one JSON object on stdout (snake_case keys) instead of text.",
    };

    public static Option<double> Timeout(string description, double defaultSeconds) => new("--timeout")
    {
        Description = description,
        DefaultValueFactory = _ => defaultSeconds,
        Validators =
        {
            result =>
            {
                if (!Commands.CommonOptions.TryGetValue<double>(result, out var value))
                {
                    return;
                }

                if (double.IsNaN(value) || value <= 0 || value > 86_400)
                {
                    result.AddError($"--timeout must be more than 0 and at most 86400 seconds (got {value}).");
                }
            },
        },
    };
}
