using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;
using CretoAI.Fast.Reputation.Decay;

namespace CretoAI.Fast.Benchmarks.Reputation;

/// <summary>
/// Reputation decay of 1M scores to one current tick: the scalar batch kernel (baseline) against the AVX2 and
/// AVX-512 batch kernels, the lazy per-read path (one <see cref="ReputationDecay.Decay"/> call, and 1M of them in
/// a loop), and two references in the same run: the Vector512 loop without its table gather, and a pass that moves
/// the same bytes with no arithmetic (read score and last tick, 4 + 4 B, write one result, 4 B, per element).
/// </summary>
[MemoryDiagnoser]
public class ReputationDecayBenchmarks
{
    private const int Count = 1_000_000;
    private const int OneReadWindow = 4_096;

    private uint[] _scores = [];
    private uint[] _lastTicks = [];
    private uint[] _output = [];
    private uint _nowTick;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        // Scores anywhere in 0..1; each subject last decayed within the past 6 half-lives (180 days at the
        // default half-life), so most results are still distinct from the start value.
        var random = new Random(7);
        _nowTick = ReputationDecay.TickOf(1_764_000_000_000, ReputationDecay.TickLengthMs(2_592_000_000));
        _scores = new uint[Count];
        _lastTicks = new uint[Count];
        _output = new uint[Count];
        for (var i = 0; i < Count; i++)
        {
            _scores[i] = (uint)random.Next(0, (int)ReputationDecay.MaxPpm + 1);
            _lastTicks[i] = _nowTick - (uint)random.Next(0, (6 * ReputationDecay.TicksPerHalfLife) + 1);
        }

        // The ratios only mean something if every kernel computes the same scores.
        var reference = new uint[Count];
        ReputationDecay.DecayBatch(_scores, _lastTicks, _nowTick, reference, DecayKernel.Scalar);
        foreach (var kernel in new[] { DecayKernel.Vector256, DecayKernel.Vector512 })
        {
            ReputationDecay.DecayBatch(_scores, _lastTicks, _nowTick, _output, kernel);
            if (!reference.AsSpan().SequenceEqual(_output))
            {
                throw new InvalidOperationException($"The {kernel} kernel disagrees with the scalar kernel.");
            }
        }
    }

    [Benchmark(Baseline = true)]
    public void Scalar() => ReputationDecay.DecayBatch(_scores, _lastTicks, _nowTick, _output, DecayKernel.Scalar);

    [Benchmark]
    public void Vector256Kernel() => ReputationDecay.DecayBatch(_scores, _lastTicks, _nowTick, _output, DecayKernel.Vector256);

    [Benchmark]
    public void Vector512Kernel() => ReputationDecay.DecayBatch(_scores, _lastTicks, _nowTick, _output, DecayKernel.Vector512);

    /// <summary>
    /// The lazy path on one read: what a single reputation lookup pays. Each call reads the next subject of a
    /// 4,096-entry window (in cache), so the JIT cannot hoist the work out of the harness loop.
    /// </summary>
    [Benchmark]
    public uint LazyOneDecay()
    {
        var i = _next;
        _next = (i + 1) & (OneReadWindow - 1);
        return ReputationDecay.Decay(_scores[i], _nowTick - _lastTicks[i]);
    }

    /// <summary>The lazy path 1M times in a row through the public API (range check included), results summed.</summary>
    [Benchmark]
    public uint LazyMillionDecays()
    {
        var scores = _scores;
        var lastTicks = _lastTicks;
        var now = _nowTick;
        var sum = 0u;
        for (var i = 0; i < scores.Length; i++)
        {
            sum += ReputationDecay.Decay(scores[i], now - lastTicks[i]);
        }

        return sum;
    }

    /// <summary>
    /// Diagnostic reference, not a kernel: the Vector512 kernel's loop with the table gather replaced by a register
    /// operation (wrong results, same loads, arithmetic and stores). Its distance to <see cref="Vector512Kernel"/>
    /// is what the two 8-lane gathers cost.
    /// </summary>
    [Benchmark]
    public void Vector512WithoutGather()
    {
        if (!Avx512F.IsSupported)
        {
            throw new PlatformNotSupportedException("This reference needs AVX-512F.");
        }

        ref var score0 = ref MemoryMarshal.GetArrayDataReference(_scores);
        ref var lastTick0 = ref MemoryMarshal.GetArrayDataReference(_lastTicks);
        ref var output0 = ref MemoryMarshal.GetArrayDataReference(_output);
        var now = Vector512.Create(_nowTick);
        var maxScore = Vector512.Create(ReputationDecay.MaxPpm);
        var start = Vector512.Create(ReputationDecay.StartPpm);
        var low32 = Vector512.Create(0xFFFF_FFFFUL);
        var anyBad = Vector512<uint>.Zero;
        for (var i = 0; i <= Count - Vector512<uint>.Count; i += Vector512<uint>.Count)
        {
            var score = Vector512.LoadUnsafe(ref score0, (nuint)i);
            var lastTick = Vector512.LoadUnsafe(ref lastTick0, (nuint)i);
            var bad = Vector512.GreaterThan(score, maxScore) | Vector512.GreaterThan(lastTick, now);
            anyBad |= bad;
            var elapsed = now - lastTick;
            var factor = (elapsed & Vector512.Create(2047u)) | Vector512.Create(0x7000_0000u);
            var shift = Vector512.Min(elapsed >> 11, Vector512.Create(32u)) + Vector512.Create(31u);
            var distance = score.AsInt32() - start.AsInt32();
            var sign = Vector512.ShiftRightArithmetic(distance, 31).AsUInt32();
            var magnitude = (distance.AsUInt32() ^ sign) - sign;
            var even = Avx512F.ShiftRightLogicalVariable(Avx512F.Multiply(magnitude, factor), shift.AsUInt64() & low32);
            var odd = Avx512F.ShiftRightLogicalVariable(
                Avx512F.Multiply((magnitude.AsUInt64() >> 32).AsUInt32(), (factor.AsUInt64() >> 32).AsUInt32()),
                shift.AsUInt64() >> 32);
            var result = start + ((((even | (odd << 32)).AsUInt32()) ^ sign) - sign);
            Vector512.ConditionalSelect(bad, score, result).StoreUnsafe(ref output0, (nuint)i);
        }

        if (anyBad != Vector512<uint>.Zero)
        {
            throw new InvalidOperationException("Benchmark data out of range.");
        }
    }

    /// <summary>Memory reference: the kernels' traffic (8 B read, 4 B written per element) with one XOR of arithmetic.</summary>
    [Benchmark]
    public void SameBytesNoArithmetic()
    {
        ref var s0 = ref MemoryMarshal.GetArrayDataReference(_scores);
        ref var t0 = ref MemoryMarshal.GetArrayDataReference(_lastTicks);
        ref var o0 = ref MemoryMarshal.GetArrayDataReference(_output);
        var i = 0;
        for (; i <= Count - Vector512<uint>.Count; i += Vector512<uint>.Count)
        {
            (Vector512.LoadUnsafe(ref s0, (nuint)i) ^ Vector512.LoadUnsafe(ref t0, (nuint)i)).StoreUnsafe(ref o0, (nuint)i);
        }

        for (; i < Count; i++)
        {
            _output[i] = _scores[i] ^ _lastTicks[i];
        }
    }
}
