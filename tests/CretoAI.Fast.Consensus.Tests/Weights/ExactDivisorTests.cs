using System.Runtime.Intrinsics;
using CretoAI.Fast.Consensus.Weights;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests.Weights;

public class ExactDivisorTests
{
    // Quotients below 2^40 and numerators below 2^64: the documented domain of the vector division.
    private static readonly Gen<(ulong Divisor, ulong[] Numerators)> Divisions =
        Gen.Frequency((3, Gen.ULong[1, 1UL << 40]), (1, Gen.ULong[1, long.MaxValue]), (1, Gen.ULong[1, 1000])).SelectMany(d =>
            Gen.Frequency(
                (2, Gen.ULong[0, Math.Min(ulong.MaxValue / d, 1UL << 40) * d]),        // arbitrary
                (2, Gen.ULong[0, Math.Min(ulong.MaxValue / d, 1UL << 40)].Select(q => q * d)), // exact multiples
                (1, Gen.ULong[1, Math.Min(ulong.MaxValue / d, 1UL << 40)].Select(q => (q * d) - 1))) // just below
            .Array[8].Select(n => (d, n)));

    [Fact]
    public void Vector_division_is_the_exact_integer_floor() =>
        Divisions.Sample(c =>
        {
            var divisor = new ExactDivisor(c.Divisor);
            var v512 = ExactDivisor.Divide(Vector512.Create(c.Numerators), Vector512.Create(c.Divisor), Vector512.Create(divisor.Reciprocal));
            var v256 = ExactDivisor.Divide(Vector256.Create(c.Numerators.AsSpan(0, 4)), Vector256.Create(c.Divisor), Vector256.Create(divisor.Reciprocal));
            for (var lane = 0; lane < 8; lane++)
            {
                Assert.Equal(c.Numerators[lane] / c.Divisor, v512[lane]);
                Assert.Equal(c.Numerators[lane] / c.Divisor, divisor.Divide(c.Numerators[lane]));
            }

            for (var lane = 0; lane < 4; lane++)
            {
                Assert.Equal(c.Numerators[lane] / c.Divisor, v256[lane]);
            }
        }, iter: 2000);

    [Fact]
    public void The_reciprocal_estimate_alone_would_be_wrong_so_the_correction_matters()
    {
        // Exact multiples and their neighbours: the truncated reciprocal estimate often lands one below.
        var misses = 0;
        foreach (var q in new[] { (1UL << 40) - 1, (1UL << 39) + 12_345, 1_000_000_007UL })
        {
            for (ulong d = 3; d < 1_000_000; d += 997)
            {
                foreach (var n in new[] { q * d, (q * d) - 1, (q * d) + 1 })
                {
                    if ((ulong)((double)n * (1.0 / d)) == n / d)
                    {
                        continue;
                    }

                    misses++;
                    var divisor = new ExactDivisor(d);
                    Assert.Equal(n / d, ExactDivisor.Divide(Vector512.Create(n), Vector512.Create(d), Vector512.Create(divisor.Reciprocal))[0]);
                    Assert.Equal(n / d, ExactDivisor.Divide(Vector256.Create(n), Vector256.Create(d), Vector256.Create(divisor.Reciprocal))[0]);
                }
            }
        }

        Assert.True(misses > 0);
    }

    [Fact]
    public void A_zero_or_too_large_divisor_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExactDivisor(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExactDivisor((ulong)long.MaxValue + 1));
    }
}
