using BenchmarkDotNet.Attributes;

namespace CretoAI.Fast.Benchmarks.Consensus;

/// <summary>
/// The machine's main-memory read bandwidth, measured alongside the weight benchmarks: a vectorised sum over
/// 256 MiB (far beyond any cache), so GB/s = 268,435,456 B / mean time.
/// </summary>
[MemoryDiagnoser]
public class MemoryBandwidthBenchmarks
{
    private const int Bytes = 256 << 20;
    private byte[] _data = [];

    [GlobalSetup]
    public void Setup()
    {
        _data = GC.AllocateUninitializedArray<byte>(Bytes);
        new Random(5).NextBytes(_data);
    }

    [Benchmark]
    public ulong Sum256MiB() => VotingWeightsBenchmarks.SumWords(_data);
}
