namespace CretoAI.Fast.Reputation.Decay;

/// <summary>
/// The fraction table F[j] = 2^31 · 2^(−j/2048), j = 0..2047, rounded to nearest (F[0] = 2^31 exactly).
/// It is part of the replicated decay rule, so it is built with integer arithmetic only: a floating-point
/// <c>Math.Pow</c> may differ in the last bit between runtimes and CPUs, and one differing entry would fork
/// the reputation state.
/// </summary>
/// <remarks>
/// Construction, all in Q62 (value · 2^62) on <see cref="UInt128"/>:
/// c_k = 2^(−2^k/2048) for k = 0..10, from c_10 = 2^(−1/2) = √(2^123) and c_(k−1) = √(c_k · 2^62), each
/// square root rounded to nearest. Then F[j] starts at 2^62 and is multiplied by c_k for every set bit k of j,
/// in increasing k, each product rounded to nearest in Q62, and is finally rounded to nearest in Q31.
/// Q62 carries 31 guard bits over the Q31 result: the eleven roundings move an entry by far less than 2^−25 of
/// a Q31 unit, while the exact value closest to a rounding tie (j = 1982) is 0.00027 of a unit away from it, so
/// every entry is the correctly rounded value (checked once against 80-digit decimal arithmetic; the tests pin
/// the table's checksum, because changing any entry changes the replicated decay rule).
/// </remarks>
internal static class DecayFactors
{
    /// <summary>Entries in the table: one per tick inside a half-life.</summary>
    public const int Count = ReputationDecay.TicksPerHalfLife;

    /// <summary>log2(<see cref="Count"/>): the fraction of a half-life is the low 11 bits of the elapsed ticks.</summary>
    public const int FractionBits = 11;

    /// <summary>The table is Q31: F[0] = 2^31 is 1.0.</summary>
    public const int FractionScaleBits = 31;

    private const int GuardScaleBits = 62;

    /// <summary>F[j] for j = 0..2047. Never written after construction.</summary>
    internal static readonly uint[] Table = Build();

    /// <summary>c_k = 2^(−2^k/2048) in Q62, k = 0..10: the factors the table is multiplied together from.</summary>
    internal static ulong[] PowerOfTwoRoots()
    {
        var roots = new ulong[FractionBits];
        roots[FractionBits - 1] = SqrtRounded(UInt128.One << ((2 * GuardScaleBits) - 1));
        for (var k = FractionBits - 1; k > 0; k--)
        {
            roots[k - 1] = SqrtRounded((UInt128)roots[k] << GuardScaleBits);
        }

        return roots;
    }

    /// <summary>⌊√value⌉: the integer square root rounded to nearest (a tie cannot occur for an integer value).</summary>
    internal static ulong SqrtRounded(UInt128 value)
    {
        // Digit-by-digit (base 4) square root: exact, branch-only integer steps, the same on every machine.
        var remainder = value;
        var root = UInt128.Zero;
        var bit = UInt128.One << 126;
        while (bit > remainder)
        {
            bit >>= 2;
        }

        while (bit != UInt128.Zero)
        {
            if (remainder >= root + bit)
            {
                remainder -= root + bit;
                root = (root >> 1) + bit;
            }
            else
            {
                root >>= 1;
            }

            bit >>= 2;
        }

        // Now root = ⌊√value⌋ and remainder = value − root². √value > root + ½ ⇔ value > root² + root + ¼
        // ⇔ (integers) remainder > root.
        if (remainder > root)
        {
            root++;
        }

        return (ulong)root;
    }

    private static uint[] Build()
    {
        var roots = PowerOfTwoRoots();
        var half = UInt128.One << (GuardScaleBits - 1);
        var table = new uint[Count];
        for (var j = 0; j < Count; j++)
        {
            var product = 1UL << GuardScaleBits;
            for (var k = 0; k < FractionBits; k++)
            {
                if (((j >> k) & 1) != 0)
                {
                    product = (ulong)((((UInt128)product * roots[k]) + half) >> GuardScaleBits);
                }
            }

            table[j] = (uint)((product + (1UL << (GuardScaleBits - FractionScaleBits - 1))) >> (GuardScaleBits - FractionScaleBits));
        }

        return table;
    }
}
