using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CretoAI.Fast.Reputation.Decay;
using CsCheck;

namespace CretoAI.Fast.Reputation.Tests.Decay;

public sealed class DecayKernelTests
{
    private const uint HalfLife = ReputationDecay.TicksPerHalfLife;

    private static readonly DecayKernel[] AllKernels = [DecayKernel.Scalar, DecayKernel.Vector256, DecayKernel.Vector512, DecayKernel.Auto];

    // Edges on purpose: the extremes and the values next to the start, where the sign flips.
    private static readonly Gen<uint> AnyScore = Gen.Frequency(
        (3, Gen.UInt[0, ReputationDecay.MaxPpm]),
        (2, Gen.OneOfConst(0u, 1u, 499_999u, 500_000u, 500_001u, 999_999u, ReputationDecay.MaxPpm)));

    private static readonly Gen<uint> AnyElapsed = Gen.Frequency(
        (2, Gen.UInt),
        (3, Gen.UInt[0, 40 * HalfLife]),
        (1, Gen.OneOfConst(0u, 1u, HalfLife - 1, HalfLife, HalfLife + 1, 20 * HalfLife, (33 * HalfLife) - 1, 33 * HalfLife, uint.MaxValue)));

    /// <summary>Scores, last ticks and a current tick at or after every last tick; lengths cover every tail size.</summary>
    private static readonly Gen<(uint[] Scores, uint[] LastTicks, uint NowTick)> Batches =
        Gen.Int[0, 300].SelectMany(n => Gen.Select(AnyScore.Array[n], AnyElapsed.Array[n], Gen.UInt))
            .Select((scores, elapsed, spare) =>
            {
                ulong longest = 0;
                foreach (var e in elapsed)
                {
                    longest = Math.Max(longest, e);
                }

                var now = (uint)(longest + (spare % (uint.MaxValue - longest + 1)));
                var lastTicks = new uint[elapsed.Length];
                for (var i = 0; i < elapsed.Length; i++)
                {
                    lastTicks[i] = now - elapsed[i];
                }

                return (scores, lastTicks, now);
            });

    [Fact]
    public void Requested_kernels_run_when_the_cpu_has_them()
    {
        Assert.Equal(DecayKernel.Scalar, ReputationDecay.Resolve(DecayKernel.Scalar));
        Assert.Equal(Avx2.IsSupported ? DecayKernel.Vector256 : DecayKernel.Scalar, ReputationDecay.Resolve(DecayKernel.Vector256));
        var expected512 = Avx512F.IsSupported && Avx2.IsSupported ? DecayKernel.Vector512
            : Avx2.IsSupported ? DecayKernel.Vector256 : DecayKernel.Scalar;
        Assert.Equal(expected512, ReputationDecay.Resolve(DecayKernel.Vector512));
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Avx2.IsSupported)
        {
            Assert.Equal(DecayKernel.Vector512, ReputationDecay.Resolve(DecayKernel.Auto));
        }
    }

    [Fact]
    public void Every_kernel_matches_the_lazy_path_bit_for_bit() =>
        Batches.Sample((scores, lastTicks, now) =>
        {
            var expected = new uint[scores.Length];
            for (var i = 0; i < scores.Length; i++)
            {
                expected[i] = ReputationDecay.Decay(scores[i], now - lastTicks[i]);
            }

            foreach (var kernel in AllKernels)
            {
                var output = new uint[scores.Length];
                ReputationDecay.DecayBatch(scores, lastTicks, now, output, kernel);
                Assert.Equal(expected, output);

                var inPlace = (uint[])scores.Clone();
                ReputationDecay.DecayBatch(inPlace, lastTicks, now, inPlace, kernel);
                Assert.Equal(expected, inPlace);
            }
        }, iter: 1000);

    [Fact]
    public void The_public_batch_matches_the_lazy_path() =>
        Batches.Sample((scores, lastTicks, now) =>
        {
            var output = new uint[scores.Length];
            ReputationDecay.DecayBatch(scores, lastTicks, now, output);
            for (var i = 0; i < scores.Length; i++)
            {
                Assert.Equal(ReputationDecay.Decay(scores[i], now - lastTicks[i]), output[i]);
            }
        }, iter: 200);

    [Fact]
    public void A_bad_element_is_reported_with_its_index_by_every_kernel() =>
        Gen.Int[1, 300].SelectMany(n => Gen.Select(Gen.Const(n), Gen.Int[0, n - 1], Gen.Int[0, n - 1], Gen.Bool, Gen.Bool, Gen.Bool))
            .Sample((length, firstBad, otherBad, badScore, otherBadScore, inPlace) =>
            {
                const uint Now = 1_000_000;
                foreach (var kernel in AllKernels)
                {
                    var scores = new uint[length];
                    var lastTicks = new uint[length];
                    for (var i = 0; i < length; i++)
                    {
                        scores[i] = (uint)(i * 3_331 % 1_000_001);
                        lastTicks[i] = Now - (uint)(i * 97);
                    }

                    // Usually two bad elements: the first one is the one reported.
                    var first = Math.Min(firstBad, otherBad);
                    var second = Math.Max(firstBad, otherBad);
                    MakeBad(scores, lastTicks, first, badScore, Now);
                    if (second != first)
                    {
                        MakeBad(scores, lastTicks, second, otherBadScore, Now);
                    }

                    var output = inPlace ? scores : new uint[length];
                    var error = Assert.Throws<ArgumentOutOfRangeException>(() => ReputationDecay.DecayBatch(scores, lastTicks, Now, output, kernel));
                    Assert.Equal(badScore ? "scores" : "lastTicks", error.ParamName);
                    Assert.Contains($"Element {first}:", error.Message, StringComparison.Ordinal);
                }
            }, iter: 300);

    [Fact]
    public void Spans_of_different_lengths_or_partly_overlapping_are_rejected()
    {
        var scores = new uint[40];
        var lastTicks = new uint[40];
        Assert.Throws<ArgumentException>(() => ReputationDecay.DecayBatch(scores, lastTicks.AsSpan(1), 0, new uint[40]));
        Assert.Throws<ArgumentException>(() => ReputationDecay.DecayBatch(scores, lastTicks, 0, new uint[39]));
        var shared = new uint[41];
        Assert.Throws<ArgumentException>(() => ReputationDecay.DecayBatch(shared.AsSpan(0, 40), lastTicks, 0, shared.AsSpan(1, 40)));
        Assert.Throws<ArgumentException>(() => ReputationDecay.DecayBatch(scores, shared.AsSpan(0, 40), 0, shared.AsSpan(1, 40)));
        ReputationDecay.DecayBatch(scores, lastTicks, 0, scores);
        ReputationDecay.DecayBatch([], [], 7, []);
    }

    private static void MakeBad(uint[] scores, uint[] lastTicks, int index, bool badScore, uint now)
    {
        if (badScore)
        {
            scores[index] = index % 2 == 0 ? ReputationDecay.MaxPpm + 1 : uint.MaxValue;
        }
        else
        {
            lastTicks[index] = index % 2 == 0 ? now + 1 : uint.MaxValue;
        }
    }
}
