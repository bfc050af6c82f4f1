using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CretoAI.Fast.Reputation.Decay;
using CsCheck;

namespace CretoAI.Fast.Reputation.Tests.Decay;

public sealed class DecayFactorsTests
{
    [Fact]
    public void Every_factor_is_within_one_of_the_floating_point_power()
    {
        var table = DecayFactors.Table;
        Assert.Equal(ReputationDecay.TicksPerHalfLife, table.Length);
        Assert.Equal(1u << 31, table[0]);
        for (var j = 0; j < table.Length; j++)
        {
            var expected = Math.Round(2147483648.0 * Math.Pow(2, -j / 2048.0));
            Assert.InRange(table[j], expected - 1, expected + 1);
        }
    }

    [Fact]
    public void Factors_decrease_strictly_and_the_last_stays_above_one_half()
    {
        var table = DecayFactors.Table;
        for (var j = 1; j < table.Length; j++)
        {
            Assert.True(table[j] < table[j - 1], $"F[{j}] = {table[j]} is not below F[{j - 1}] = {table[j - 1]}.");
        }

        // Above F[0] / 2: the decay stays monotone where a half-life ends and the next begins (j wraps to 0, h + 1).
        Assert.True(table[^1] > 1u << 30);
    }

    [Fact]
    public void The_table_is_pinned_because_it_is_part_of_the_replicated_rule()
    {
        // Checksums of the 2048 entries as little-endian uint32. Cross-checked once against 2^31 · 2^(−j/2048)
        // in 80-digit decimal arithmetic: every entry is the correctly rounded value. A change here forks the chain.
        var table = DecayFactors.Table;
        ulong sum = 0;
        foreach (var factor in table)
        {
            sum += factor;
        }

        Assert.Equal(3_173_056_846_777UL, sum);
        Assert.Equal(2_146_756_953u, table[1]);
        Assert.Equal(1_518_500_250u, table[1024]);
        Assert.Equal(1_074_105_294u, table[2047]);
        var hash = SHA256.HashData(MemoryMarshal.AsBytes(table.AsSpan()));
        Assert.Equal("6ed78a476ba6f0c46499dd71d2c7764d1a937b295f8a5e8324f8e66434100ee0", Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void The_roots_are_the_powers_of_two_they_stand_for()
    {
        var roots = DecayFactors.PowerOfTwoRoots();
        Assert.Equal(11, roots.Length);

        // 2^61.5 rounded to nearest: 2^(−1/2) in Q62.
        Assert.Equal(3_260_954_456_333_195_553UL, roots[10]);
        for (var k = 0; k < roots.Length; k++)
        {
            var expected = Math.Pow(2, 62 - ((1 << k) / 2048.0));
            Assert.InRange(roots[k] / expected, 1 - 1e-15, 1 + 1e-15);
        }
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(1UL, 1UL)]
    [InlineData(2UL, 1UL)]
    [InlineData(3UL, 2UL)]
    [InlineData(6UL, 2UL)]
    [InlineData(7UL, 3UL)]
    [InlineData(ulong.MaxValue, 1UL << 32)]
    public void Rounded_square_root_known_answers(ulong value, ulong root) =>
        Assert.Equal(root, DecayFactors.SqrtRounded(value));

    [Fact]
    public void Rounded_square_root_is_the_nearest_integer() =>
        Gen.Select(Gen.ULong[0, (1UL << 60) - 1], Gen.ULong, Gen.Int[0, 124]).Sample((high, low, shift) =>
        {
            var value = (((UInt128)high << 64) | low) >> shift;
            UInt128 root = DecayFactors.SqrtRounded(value);

            // (root − ½)² ≤ value < (root + ½)², times 4 to stay in integers.
            var fourTimes = value << 2;
            Assert.True(root == 0 || ((2 * root) - 1) * ((2 * root) - 1) <= fourTimes, $"√{value} rounded to {root} is too large.");
            Assert.True(fourTimes < ((2 * root) + 1) * ((2 * root) + 1), $"√{value} rounded to {root} is too small.");
        }, iter: 2000);
}
