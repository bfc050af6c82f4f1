using BenchmarkDotNet.Running;

namespace CretoAI.Fast.Benchmarks;

/// <summary>
/// BenchmarkDotNet entry point: <c>dotnet run -c Release --project perf/CretoAI.Fast.Benchmarks -- --filter '*Codec*'</c>.
/// Every suite runs with the memory diagnoser; see perf/README.md. <c>-- registry-million</c> runs the
/// million-agent registry job (<see cref="Registry.RegistryMillion"/>) and <c>-- routing</c> the agent
/// router load (<see cref="Routing.RoutingLoad"/>) instead.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // The million-agent registry job builds its store once and measures everything on it (see RegistryMillion).
        if (args.Length > 0 && string.Equals(args[0], "registry-million", StringComparison.Ordinal))
        {
            return await Registry.RegistryMillion.RunAsync(args[1..]).ConfigureAwait(false);
        }

        if (args.Length > 0 && string.Equals(args[0], "routing", StringComparison.Ordinal))
        {
            await Routing.RoutingLoad.RunAsync(args[1..]).ConfigureAwait(false);
            return 0;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
