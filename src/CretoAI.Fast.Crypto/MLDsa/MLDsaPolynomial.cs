using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// Arithmetic on ML-DSA polynomials (256 coefficients mod q = 8380417, FIPS 204 section 7.5): the
/// NTT, its inverse, Montgomery products and reductions. Each operation picks the AVX2 version
/// (<see cref="MLDsaPolynomialAvx2"/>) when available unless <see cref="SimdSwitch.ForceScalar"/>,
/// and both give bit-identical results. Everything here is constant time: no branch or memory index
/// depends on coefficient values, because signing runs these on secret polynomials.
/// </summary>
internal static class MLDsaPolynomial
{
    public const int N = 256;
    public const int Q = 8380417;

    /// <summary>q⁻¹ mod 2³² for Montgomery reduction with R = 2³².</summary>
    public const int QInv = 58728449;

    /// <summary>R²/256 mod q: the inverse NTT's final scaling, leaving results multiplied by R (the "to Montgomery" form).</summary>
    public const int InverseNttScale = 41978;

    /// <summary>ζ^brv8(k)·R mod q, centred, for k = 0..255, with ζ = 1753 (FIPS 204 appendix B's table times R).</summary>
    internal static readonly int[] Zetas = BuildZetas();

    public static bool UseAvx2 => MLDsaPolynomialAvx2.IsSupported && !SimdSwitch.ForceScalar;

    private static int[] BuildZetas()
    {
        var zetas = new int[N];
        for (var k = 0; k < N; k++)
        {
            var exponent = 0;
            for (var bit = 0; bit < 8; bit++)
            {
                exponent |= ((k >> bit) & 1) << (7 - bit);
            }

            long power = 1;
            for (var e = 0; e < exponent; e++)
            {
                power = power * 1753 % Q;
            }

            var montgomery = (int)((power << 32) % Q);
            zetas[k] = montgomery > Q / 2 ? montgomery - Q : montgomery;
        }

        return zetas;
    }

    /// <summary>a·R⁻¹ mod q for |a| &lt; 2³¹·q; the result is in (−q, q).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int MontgomeryReduce(long a)
    {
        var t = unchecked((int)a * QInv);
        return (int)((a - ((long)t * Q)) >> 32);
    }

    /// <summary>A representative of a mod q in about (−q/2·1.5, q/2·1.5) for any int a below 2³¹ − 2²².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Reduce32(int a)
    {
        var t = (a + (1 << 22)) >> 23;
        return a - (t * Q);
    }

    /// <summary>Adds q when a is negative, without a branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int AddQIfNegative(int a) => a + ((a >> 31) & Q);

    /// <summary>a mod q in [0, q) for any a that <see cref="Reduce32"/> accepts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Freeze(int a) => AddQIfNegative(Reduce32(a));

    /// <summary>In-place forward NTT (FIPS 204 algorithm 41) leaving coefficients in Montgomery-free form, |output| &lt; |input| + 8q.</summary>
    public static void Ntt(Span<int> a)
    {
        Debug.Assert(a.Length == N, "A polynomial has 256 coefficients.");
        if (UseAvx2)
        {
            MLDsaPolynomialAvx2.Ntt(a);
            return;
        }

        NttScalar(a);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void NttScalar(Span<int> a)
    {
        var zetas = Zetas;
        var k = 0;
        for (var length = 128; length > 0; length >>= 1)
        {
            for (var start = 0; start < N; start += 2 * length)
            {
                long zeta = zetas[++k];
                for (var j = start; j < start + length; j++)
                {
                    var t = MontgomeryReduce(zeta * a[j + length]);
                    a[j + length] = a[j] - t;
                    a[j] += t;
                }
            }
        }
    }

    /// <summary>
    /// In-place inverse NTT (FIPS 204 algorithm 42) times R, so that after a Montgomery product the
    /// result is in the normal domain. Input |a| &lt; q; output |a| &lt; q.
    /// </summary>
    public static void InverseNttToMontgomery(Span<int> a)
    {
        Debug.Assert(a.Length == N, "A polynomial has 256 coefficients.");
        if (UseAvx2)
        {
            MLDsaPolynomialAvx2.InverseNttToMontgomery(a);
            return;
        }

        InverseNttToMontgomeryScalar(a);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void InverseNttToMontgomeryScalar(Span<int> a)
    {
        var zetas = Zetas;
        var k = N;
        for (var length = 1; length < N; length <<= 1)
        {
            for (var start = 0; start < N; start += 2 * length)
            {
                long zeta = -zetas[--k];
                for (var j = start; j < start + length; j++)
                {
                    var t = a[j];
                    a[j] = t + a[j + length];
                    a[j + length] = MontgomeryReduce(zeta * (t - a[j + length]));
                }
            }
        }

        for (var j = 0; j < N; j++)
        {
            a[j] = MontgomeryReduce((long)InverseNttScale * a[j]);
        }
    }

    /// <summary>c = a∘b·R⁻¹ coefficient-wise (NTT-domain product).</summary>
    public static void PointwiseMontgomery(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> c)
    {
        if (UseAvx2)
        {
            MLDsaPolynomialAvx2.PointwiseMontgomery(a, b, c);
            return;
        }

        for (var i = 0; i < N; i++)
        {
            c[i] = MontgomeryReduce((long)a[i] * b[i]);
        }
    }

    /// <summary>acc += a∘b·R⁻¹ coefficient-wise.</summary>
    public static void PointwiseMontgomeryAccumulate(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> acc)
    {
        if (UseAvx2)
        {
            MLDsaPolynomialAvx2.PointwiseMontgomeryAccumulate(a, b, acc);
            return;
        }

        for (var i = 0; i < N; i++)
        {
            acc[i] += MontgomeryReduce((long)a[i] * b[i]);
        }
    }

    /// <summary>acc −= a∘b·R⁻¹ coefficient-wise.</summary>
    public static void PointwiseMontgomerySubtract(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> acc)
    {
        if (UseAvx2)
        {
            MLDsaPolynomialAvx2.PointwiseMontgomerySubtract(a, b, acc);
            return;
        }

        for (var i = 0; i < N; i++)
        {
            acc[i] -= MontgomeryReduce((long)a[i] * b[i]);
        }
    }

    /// <summary>Every coefficient through <see cref="Reduce32"/>.</summary>
    public static void Reduce(Span<int> a)
    {
        if (UseAvx2 && a.Length % 8 == 0)
        {
            MLDsaPolynomialAvx2.Reduce(a);
            return;
        }

        for (var i = 0; i < a.Length; i++)
        {
            a[i] = Reduce32(a[i]);
        }
    }

    /// <summary>Every coefficient to [0, q).</summary>
    public static void Freeze(Span<int> a)
    {
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = Freeze(a[i]);
        }
    }

    /// <summary>Every coefficient to its centred representative in (−(q−1)/2, (q−1)/2] (the "mod± q" of FIPS 204).</summary>
    public static void Center(Span<int> a)
    {
        for (var i = 0; i < a.Length; i++)
        {
            var x = Freeze(a[i]);
            a[i] = x - (((((Q - 1) / 2) - x) >> 31) & Q);
        }
    }

    /// <summary>
    /// True when some |a_i| ≥ bound (coefficients already centred). Looks at every coefficient and
    /// never exits early: in signing the position of a large coefficient is secret, only the verdict is revealed.
    /// </summary>
    public static bool ExceedsNorm(ReadOnlySpan<int> a, int bound)
    {
        var failed = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var sign = a[i] >> 31;
            var magnitude = (a[i] ^ sign) - sign;
            failed |= (bound - 1 - magnitude) >> 31;
        }

        return failed != 0;
    }

    public static void Add(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> c)
    {
        for (var i = 0; i < c.Length; i++)
        {
            c[i] = a[i] + b[i];
        }
    }

    public static void Subtract(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> c)
    {
        for (var i = 0; i < c.Length; i++)
        {
            c[i] = a[i] - b[i];
        }
    }

    /// <summary>UseHint on every coefficient of w (|w| &lt; q) with hints 0/1, in place (verification only).</summary>
    public static void UseHint(Span<int> w, ReadOnlySpan<int> hints)
    {
        if (UseAvx2)
        {
            MLDsaPolynomialAvx2.UseHint(w, hints);
            return;
        }

        for (var n = 0; n < N; n++)
        {
            w[n] = MLDsa87Rounding.UseHint(AddQIfNegative(w[n]), hints[n]);
        }
    }
}
