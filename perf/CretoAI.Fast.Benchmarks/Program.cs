using BenchmarkDotNet.Running;

namespace CretoAI.Fast.Benchmarks;

/// <summary>
/// BenchmarkDotNet entry point: <c>dotnet run -c Release --project perf/CretoAI.Fast.Benchmarks -- --filter '*Codec*'</c>.
/// Every suite runs with the memory diagnoser; see perf/README.md. <c>-- routing</c> runs the agent
/// router load instead (<see cref="Routing.RoutingLoad"/>).
/// </summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        if (args.Length > 0 && string.Equals(args[0], "routing", StringComparison.Ordinal))
        {
            await Routing.RoutingLoad.RunAsync(args.AsSpan(1).ToArray()).ConfigureAwait(false);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
