using BenchmarkDotNet.Attributes;
using CretoAI.Fast.Consensus.Weights;

namespace CretoAI.Fast.Benchmarks.Consensus;

/// <summary>
/// Weight of a vote set of 150 validators (the seed's validator count) with about 70 % of them signing, as
/// in a quorum certificate: scalar set-bit walk (baseline) against the Vector256 and Vector512 masked sums.
/// </summary>
[MemoryDiagnoser]
public class VoteTallyBenchmarks
{
    private const int Validators = 150;
    private readonly ulong[] _weights = new ulong[Validators];
    private readonly ulong[] _bitmap = new ulong[VoteTally.WordCount(Validators)];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        for (var i = 0; i < Validators; i++)
        {
            _weights[i] = (ulong)random.Next(1_000_000, 15_000_000);
            if (random.Next(100) < 70)
            {
                _bitmap[i >> 6] |= 1UL << (i & 63);
            }
        }

        var expected = VoteTally.Tally(_bitmap, _weights, SimdPath.Scalar);
        if (VoteTally.Tally(_bitmap, _weights, SimdPath.Vector256) != expected || VoteTally.Tally(_bitmap, _weights, SimdPath.Vector512) != expected)
        {
            throw new InvalidOperationException("The vector tallies disagree with the scalar tally.");
        }
    }

    [Benchmark(Baseline = true)]
    public ulong Scalar() => VoteTally.Tally(_bitmap, _weights, SimdPath.Scalar);

    [Benchmark]
    public ulong Vector256Kernel() => VoteTally.Tally(_bitmap, _weights, SimdPath.Vector256);

    [Benchmark]
    public ulong Vector512Kernel() => VoteTally.Tally(_bitmap, _weights, SimdPath.Vector512);
}
