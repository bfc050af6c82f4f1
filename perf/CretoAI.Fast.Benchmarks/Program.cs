using BenchmarkDotNet.Running;

namespace CretoAI.Fast.Benchmarks;

/// <summary>
/// BenchmarkDotNet entry point: <c>dotnet run -c Release --project perf/CretoAI.Fast.Benchmarks -- --filter '*Codec*'</c>.
/// Every suite runs with the memory diagnoser; see perf/README.md. <c>-- registry-million</c> runs the
/// million-agent registry job instead (<see cref="Registry.RegistryMillion"/>).
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

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
