using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using CretoAI.Fast.Consensus.Weights;

namespace CretoAI.Fast.Benchmarks.Consensus;

/// <summary>
/// Voting-weight computation over structure-of-arrays candidates: scalar kernel (baseline) against the
/// Vector256 and Vector512 kernels, plus a memory reference in the same run: one vectorised read of every
/// byte the computation touches (stake 8 B + reputation 4 B + uptime 4 B + weight 8 B per candidate). The
/// computation itself touches 40 B per candidate (the inputs twice, one summing pass and one weighting pass,
/// and the weights once).
/// </summary>
[MemoryDiagnoser]
public class VotingWeightsBenchmarks
{
    private ulong[] _stake = [];
    private uint[] _reputation = [];
    private uint[] _uptime = [];
    private ulong[] _weights = [];

    [Params(150, 10_000, 1_000_000)]
    public int Candidates { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Realistic mix: most candidates eligible, stakes across the seed's 1,000..1,000,000 range.
        var random = new Random(11);
        _stake = new ulong[Candidates];
        _reputation = new uint[Candidates];
        _uptime = new uint[Candidates];
        _weights = new ulong[Candidates];
        for (var i = 0; i < Candidates; i++)
        {
            _stake[i] = (ulong)random.NextInt64(1_000, 1_000_001);
            _reputation[i] = (uint)random.Next(0, 1_000_001);
            _uptime[i] = (uint)random.Next(600_000, 1_000_001);
        }

        // The ratios only mean something if every kernel computes the same weights.
        var reference = new ulong[Candidates];
        VotingWeights.Compute(_stake, _reputation, _uptime, reference, VotingWeightRules.Default, SimdPath.Scalar);
        foreach (var path in new[] { SimdPath.Vector256, SimdPath.Vector512 })
        {
            VotingWeights.Compute(_stake, _reputation, _uptime, _weights, VotingWeightRules.Default, path);
            if (!reference.AsSpan().SequenceEqual(_weights))
            {
                throw new InvalidOperationException($"The {path} kernel disagrees with the scalar kernel.");
            }
        }
    }

    [Benchmark(Baseline = true)]
    public ulong Scalar() => VotingWeights.Compute(_stake, _reputation, _uptime, _weights, VotingWeightRules.Default, SimdPath.Scalar).TotalWeight;

    [Benchmark]
    public ulong Vector256Kernel() => VotingWeights.Compute(_stake, _reputation, _uptime, _weights, VotingWeightRules.Default, SimdPath.Vector256).TotalWeight;

    [Benchmark]
    public ulong Vector512Kernel() => VotingWeights.Compute(_stake, _reputation, _uptime, _weights, VotingWeightRules.Default, SimdPath.Vector512).TotalWeight;

    /// <summary>Memory reference: read all 24 B per candidate once with the widest vectors (no arithmetic to speak of).</summary>
    [Benchmark]
    public ulong ReadEveryByteOnce() =>
        SumWords(MemoryMarshal.AsBytes(_stake.AsSpan())) + SumWords(MemoryMarshal.AsBytes(_reputation.AsSpan()))
        + SumWords(MemoryMarshal.AsBytes(_uptime.AsSpan())) + SumWords(MemoryMarshal.AsBytes(_weights.AsSpan()));

    internal static ulong SumWords(ReadOnlySpan<byte> bytes)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        ref var first = ref MemoryMarshal.GetReference(words);
        Vector512<ulong> a = default, b = default;
        var i = 0;
        for (; i <= words.Length - 16; i += 16)
        {
            a += Vector512.LoadUnsafe(ref first, (nuint)i);
            b += Vector512.LoadUnsafe(ref first, (nuint)(i + 8));
        }

        var sum = Vector512.Sum(a + b);
        for (; i < words.Length; i++)
        {
            sum += words[i];
        }

        return sum;
    }
}
