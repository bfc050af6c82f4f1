using BenchmarkDotNet.Running;

namespace CretoAI.Fast.Benchmarks;

/// <summary>
/// BenchmarkDotNet entry point: <c>dotnet run -c Release --project perf/CretoAI.Fast.Benchmarks -- --filter '*Codec*'</c>.
/// Every suite runs with the memory diagnoser; see perf/README.md.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
