using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// AVX2 versions of the NTT, inverse NTT and Montgomery products, eight coefficients per
/// instruction. They perform exactly the scalar operations of <see cref="MLDsaPolynomial"/> on the
/// same values (same butterflies, same Montgomery reductions), so results are bit-identical.
/// Layers with butterfly distance ≥ 8 work on whole vectors; the last three layers (distance 4, 2, 1)
/// transpose 8×8 blocks so each butterfly again pairs whole vectors, with per-lane twiddle factors.
/// </summary>
internal static class MLDsaPolynomialAvx2
{
    private const int N = MLDsaPolynomial.N;

    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>Twiddles for the three transposed layers: [direction][layer][group][coefficient][lane], ζ and ζ·q⁻¹.</summary>
    private static readonly int[] ForwardLow = BuildLowTwiddles(inverse: false, premultiplied: false);
    private static readonly int[] ForwardLowQInv = BuildLowTwiddles(inverse: false, premultiplied: true);
    private static readonly int[] InverseLow = BuildLowTwiddles(inverse: true, premultiplied: false);
    private static readonly int[] InverseLowQInv = BuildLowTwiddles(inverse: true, premultiplied: true);

    private static int[] BuildLowTwiddles(bool inverse, bool premultiplied)
    {
        // Index: ((layer * 4 + group) * 8 + coefficient) * 8 + lane, layer 0/1/2 = distance 4/2/1.
        var table = new int[3 * 4 * 8 * 8];
        for (var layer = 0; layer < 3; layer++)
        {
            var length = 4 >> layer;
            for (var group = 0; group < 4; group++)
            {
                for (var coefficient = 0; coefficient < 8; coefficient++)
                {
                    for (var lane = 0; lane < 8; lane++)
                    {
                        var j = (8 * ((8 * group) + lane)) + coefficient;
                        var zeta = inverse
                            ? -MLDsaPolynomial.Zetas[(N / length) - 1 - (j / (2 * length))]
                            : MLDsaPolynomial.Zetas[(N / (2 * length)) + (j / (2 * length))];
                        table[(((((layer * 4) + group) * 8) + coefficient) * 8) + lane] = premultiplied ? unchecked(zeta * MLDsaPolynomial.QInv) : zeta;
                    }
                }
            }
        }

        return table;
    }

    /// <summary>a·b·R⁻¹ per lane, given bQInv = b·q⁻¹ mod 2³²: the vector form of <see cref="MLDsaPolynomial.MontgomeryReduce"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> MontgomeryMultiply(Vector256<int> a, Vector256<int> b, Vector256<int> bQInv)
    {
        var q = Vector256.Create(MLDsaPolynomial.Q);
        var t = Avx2.MultiplyLow(a, bQInv);
        var aOdd = Avx2.ShiftRightLogical(a.AsInt64(), 32).AsInt32();
        var bOdd = Avx2.ShiftRightLogical(b.AsInt64(), 32).AsInt32();
        var tOdd = Avx2.ShiftRightLogical(t.AsInt64(), 32).AsInt32();

        // The low halves of a·b and t·q are equal by construction, so the 64-bit difference is exactly (hi(a·b) − hi(t·q))·2³².
        var even = Avx2.Subtract(Avx2.Multiply(a, b), Avx2.Multiply(t, q));
        var odd = Avx2.Subtract(Avx2.Multiply(aOdd, bOdd), Avx2.Multiply(tOdd, q));
        return Avx2.Blend(Avx2.ShiftRightLogical(even, 32).AsInt32(), odd.AsInt32(), 0b1010_1010);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> MontgomeryMultiply(Vector256<int> a, Vector256<int> b) =>
        MontgomeryMultiply(a, b, Avx2.MultiplyLow(b, Vector256.Create(MLDsaPolynomial.QInv)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(
        ref Vector256<int> r0, ref Vector256<int> r1, ref Vector256<int> r2, ref Vector256<int> r3,
        ref Vector256<int> r4, ref Vector256<int> r5, ref Vector256<int> r6, ref Vector256<int> r7)
    {
        var t0 = Avx2.UnpackLow(r0, r1).AsInt64();
        var t1 = Avx2.UnpackHigh(r0, r1).AsInt64();
        var t2 = Avx2.UnpackLow(r2, r3).AsInt64();
        var t3 = Avx2.UnpackHigh(r2, r3).AsInt64();
        var t4 = Avx2.UnpackLow(r4, r5).AsInt64();
        var t5 = Avx2.UnpackHigh(r4, r5).AsInt64();
        var t6 = Avx2.UnpackLow(r6, r7).AsInt64();
        var t7 = Avx2.UnpackHigh(r6, r7).AsInt64();
        var u0 = Avx2.UnpackLow(t0, t2).AsInt32();
        var u1 = Avx2.UnpackHigh(t0, t2).AsInt32();
        var u2 = Avx2.UnpackLow(t1, t3).AsInt32();
        var u3 = Avx2.UnpackHigh(t1, t3).AsInt32();
        var u4 = Avx2.UnpackLow(t4, t6).AsInt32();
        var u5 = Avx2.UnpackHigh(t4, t6).AsInt32();
        var u6 = Avx2.UnpackLow(t5, t7).AsInt32();
        var u7 = Avx2.UnpackHigh(t5, t7).AsInt32();
        r0 = Avx2.Permute2x128(u0, u4, 0x20);
        r1 = Avx2.Permute2x128(u1, u5, 0x20);
        r2 = Avx2.Permute2x128(u2, u6, 0x20);
        r3 = Avx2.Permute2x128(u3, u7, 0x20);
        r4 = Avx2.Permute2x128(u0, u4, 0x31);
        r5 = Avx2.Permute2x128(u1, u5, 0x31);
        r6 = Avx2.Permute2x128(u2, u6, 0x31);
        r7 = Avx2.Permute2x128(u3, u7, 0x31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardButterfly(ref Vector256<int> low, ref Vector256<int> high, Vector256<int> zeta, Vector256<int> zetaQInv)
    {
        var t = MontgomeryMultiply(high, zeta, zetaQInv);
        high = Avx2.Subtract(low, t);
        low = Avx2.Add(low, t);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InverseButterfly(ref Vector256<int> low, ref Vector256<int> high, Vector256<int> zeta, Vector256<int> zetaQInv)
    {
        var t = low;
        low = Avx2.Add(t, high);
        high = MontgomeryMultiply(Avx2.Subtract(t, high), zeta, zetaQInv);
    }

    private static Vector256<int> Twiddle(int[] table, int layer, int group, int coefficient) =>
        Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(table), (nuint)((((((layer * 4) + group) * 8) + coefficient) * 8)));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Ntt(Span<int> a)
    {
        ref var p = ref MemoryMarshal.GetReference(a);
        var zetas = MLDsaPolynomial.Zetas;
        var k = 0;
        for (var length = 128; length >= 8; length >>= 1)
        {
            for (var start = 0; start < N; start += 2 * length)
            {
                k++;
                var zeta = Vector256.Create(zetas[k]);
                var zetaQInv = Vector256.Create(unchecked(zetas[k] * MLDsaPolynomial.QInv));
                for (var j = start; j < start + length; j += 8)
                {
                    var low = Vector256.LoadUnsafe(ref p, (nuint)j);
                    var high = Vector256.LoadUnsafe(ref p, (nuint)(j + length));
                    ForwardButterfly(ref low, ref high, zeta, zetaQInv);
                    low.StoreUnsafe(ref p, (nuint)j);
                    high.StoreUnsafe(ref p, (nuint)(j + length));
                }
            }
        }

        for (var group = 0; group < 4; group++)
        {
            var offset = (nuint)(64 * group);
            var r0 = Vector256.LoadUnsafe(ref p, offset);
            var r1 = Vector256.LoadUnsafe(ref p, offset + 8);
            var r2 = Vector256.LoadUnsafe(ref p, offset + 16);
            var r3 = Vector256.LoadUnsafe(ref p, offset + 24);
            var r4 = Vector256.LoadUnsafe(ref p, offset + 32);
            var r5 = Vector256.LoadUnsafe(ref p, offset + 40);
            var r6 = Vector256.LoadUnsafe(ref p, offset + 48);
            var r7 = Vector256.LoadUnsafe(ref p, offset + 56);
            Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);

            ForwardButterfly(ref r0, ref r4, Twiddle(ForwardLow, 0, group, 0), Twiddle(ForwardLowQInv, 0, group, 0));
            ForwardButterfly(ref r1, ref r5, Twiddle(ForwardLow, 0, group, 1), Twiddle(ForwardLowQInv, 0, group, 1));
            ForwardButterfly(ref r2, ref r6, Twiddle(ForwardLow, 0, group, 2), Twiddle(ForwardLowQInv, 0, group, 2));
            ForwardButterfly(ref r3, ref r7, Twiddle(ForwardLow, 0, group, 3), Twiddle(ForwardLowQInv, 0, group, 3));

            ForwardButterfly(ref r0, ref r2, Twiddle(ForwardLow, 1, group, 0), Twiddle(ForwardLowQInv, 1, group, 0));
            ForwardButterfly(ref r1, ref r3, Twiddle(ForwardLow, 1, group, 1), Twiddle(ForwardLowQInv, 1, group, 1));
            ForwardButterfly(ref r4, ref r6, Twiddle(ForwardLow, 1, group, 4), Twiddle(ForwardLowQInv, 1, group, 4));
            ForwardButterfly(ref r5, ref r7, Twiddle(ForwardLow, 1, group, 5), Twiddle(ForwardLowQInv, 1, group, 5));

            ForwardButterfly(ref r0, ref r1, Twiddle(ForwardLow, 2, group, 0), Twiddle(ForwardLowQInv, 2, group, 0));
            ForwardButterfly(ref r2, ref r3, Twiddle(ForwardLow, 2, group, 2), Twiddle(ForwardLowQInv, 2, group, 2));
            ForwardButterfly(ref r4, ref r5, Twiddle(ForwardLow, 2, group, 4), Twiddle(ForwardLowQInv, 2, group, 4));
            ForwardButterfly(ref r6, ref r7, Twiddle(ForwardLow, 2, group, 6), Twiddle(ForwardLowQInv, 2, group, 6));

            Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
            r0.StoreUnsafe(ref p, offset);
            r1.StoreUnsafe(ref p, offset + 8);
            r2.StoreUnsafe(ref p, offset + 16);
            r3.StoreUnsafe(ref p, offset + 24);
            r4.StoreUnsafe(ref p, offset + 32);
            r5.StoreUnsafe(ref p, offset + 40);
            r6.StoreUnsafe(ref p, offset + 48);
            r7.StoreUnsafe(ref p, offset + 56);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InverseNttToMontgomery(Span<int> a)
    {
        ref var p = ref MemoryMarshal.GetReference(a);
        for (var group = 0; group < 4; group++)
        {
            var offset = (nuint)(64 * group);
            var r0 = Vector256.LoadUnsafe(ref p, offset);
            var r1 = Vector256.LoadUnsafe(ref p, offset + 8);
            var r2 = Vector256.LoadUnsafe(ref p, offset + 16);
            var r3 = Vector256.LoadUnsafe(ref p, offset + 24);
            var r4 = Vector256.LoadUnsafe(ref p, offset + 32);
            var r5 = Vector256.LoadUnsafe(ref p, offset + 40);
            var r6 = Vector256.LoadUnsafe(ref p, offset + 48);
            var r7 = Vector256.LoadUnsafe(ref p, offset + 56);
            Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);

            InverseButterfly(ref r0, ref r1, Twiddle(InverseLow, 2, group, 0), Twiddle(InverseLowQInv, 2, group, 0));
            InverseButterfly(ref r2, ref r3, Twiddle(InverseLow, 2, group, 2), Twiddle(InverseLowQInv, 2, group, 2));
            InverseButterfly(ref r4, ref r5, Twiddle(InverseLow, 2, group, 4), Twiddle(InverseLowQInv, 2, group, 4));
            InverseButterfly(ref r6, ref r7, Twiddle(InverseLow, 2, group, 6), Twiddle(InverseLowQInv, 2, group, 6));

            InverseButterfly(ref r0, ref r2, Twiddle(InverseLow, 1, group, 0), Twiddle(InverseLowQInv, 1, group, 0));
            InverseButterfly(ref r1, ref r3, Twiddle(InverseLow, 1, group, 1), Twiddle(InverseLowQInv, 1, group, 1));
            InverseButterfly(ref r4, ref r6, Twiddle(InverseLow, 1, group, 4), Twiddle(InverseLowQInv, 1, group, 4));
            InverseButterfly(ref r5, ref r7, Twiddle(InverseLow, 1, group, 5), Twiddle(InverseLowQInv, 1, group, 5));

            InverseButterfly(ref r0, ref r4, Twiddle(InverseLow, 0, group, 0), Twiddle(InverseLowQInv, 0, group, 0));
            InverseButterfly(ref r1, ref r5, Twiddle(InverseLow, 0, group, 1), Twiddle(InverseLowQInv, 0, group, 1));
            InverseButterfly(ref r2, ref r6, Twiddle(InverseLow, 0, group, 2), Twiddle(InverseLowQInv, 0, group, 2));
            InverseButterfly(ref r3, ref r7, Twiddle(InverseLow, 0, group, 3), Twiddle(InverseLowQInv, 0, group, 3));

            Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
            r0.StoreUnsafe(ref p, offset);
            r1.StoreUnsafe(ref p, offset + 8);
            r2.StoreUnsafe(ref p, offset + 16);
            r3.StoreUnsafe(ref p, offset + 24);
            r4.StoreUnsafe(ref p, offset + 32);
            r5.StoreUnsafe(ref p, offset + 40);
            r6.StoreUnsafe(ref p, offset + 48);
            r7.StoreUnsafe(ref p, offset + 56);
        }

        var zetas = MLDsaPolynomial.Zetas;
        for (var length = 8; length < N; length <<= 1)
        {
            for (var start = 0; start < N; start += 2 * length)
            {
                var z = -zetas[(N / length) - 1 - (start / (2 * length))];
                var zeta = Vector256.Create(z);
                var zetaQInv = Vector256.Create(unchecked(z * MLDsaPolynomial.QInv));
                for (var j = start; j < start + length; j += 8)
                {
                    var low = Vector256.LoadUnsafe(ref p, (nuint)j);
                    var high = Vector256.LoadUnsafe(ref p, (nuint)(j + length));
                    InverseButterfly(ref low, ref high, zeta, zetaQInv);
                    low.StoreUnsafe(ref p, (nuint)j);
                    high.StoreUnsafe(ref p, (nuint)(j + length));
                }
            }
        }

        var scale = Vector256.Create(MLDsaPolynomial.InverseNttScale);
        var scaleQInv = Vector256.Create(unchecked(MLDsaPolynomial.InverseNttScale * MLDsaPolynomial.QInv));
        for (var j = 0; j < N; j += 8)
        {
            MontgomeryMultiply(Vector256.LoadUnsafe(ref p, (nuint)j), scale, scaleQInv).StoreUnsafe(ref p, (nuint)j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PointwiseMontgomery(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> c)
    {
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        ref var pc = ref MemoryMarshal.GetReference(c);
        for (nuint j = 0; j < N; j += 8)
        {
            MontgomeryMultiply(Vector256.LoadUnsafe(ref pa, j), Vector256.LoadUnsafe(ref pb, j)).StoreUnsafe(ref pc, j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PointwiseMontgomeryAccumulate(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> acc)
    {
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        ref var pc = ref MemoryMarshal.GetReference(acc);
        for (nuint j = 0; j < N; j += 8)
        {
            var product = MontgomeryMultiply(Vector256.LoadUnsafe(ref pa, j), Vector256.LoadUnsafe(ref pb, j));
            Avx2.Add(Vector256.LoadUnsafe(ref pc, j), product).StoreUnsafe(ref pc, j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PointwiseMontgomerySubtract(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> acc)
    {
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        ref var pc = ref MemoryMarshal.GetReference(acc);
        for (nuint j = 0; j < N; j += 8)
        {
            var product = MontgomeryMultiply(Vector256.LoadUnsafe(ref pa, j), Vector256.LoadUnsafe(ref pb, j));
            Avx2.Subtract(Vector256.LoadUnsafe(ref pc, j), product).StoreUnsafe(ref pc, j);
        }
    }

    /// <summary>Vector <see cref="MLDsaPolynomial.Reduce32"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Reduce(Span<int> a)
    {
        ref var p = ref MemoryMarshal.GetReference(a);
        var q = Vector256.Create(MLDsaPolynomial.Q);
        var half = Vector256.Create(1 << 22);
        for (nuint j = 0; j < (nuint)a.Length; j += 8)
        {
            var x = Vector256.LoadUnsafe(ref p, j);
            var t = Avx2.ShiftRightArithmetic(Avx2.Add(x, half), 23);
            Avx2.Subtract(x, Avx2.MultiplyLow(t, q)).StoreUnsafe(ref p, j);
        }
    }

    /// <summary>
    /// Vector form of UseHint over one polynomial: w (|w| &lt; q, from the inverse NTT) is brought to
    /// [0, q), decomposed as in <see cref="MLDsa87Rounding.Decompose"/>, and r1 moved by ±1 mod 16
    /// where the hint is set (up when r0 &gt; 0). Verification only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void UseHint(Span<int> w, ReadOnlySpan<int> hints)
    {
        ref var pw = ref MemoryMarshal.GetReference(w);
        ref var ph = ref MemoryMarshal.GetReference(hints);
        var q = Vector256.Create(MLDsaPolynomial.Q);
        var halfQ = Vector256.Create((MLDsaPolynomial.Q - 1) / 2);
        var twoGamma2 = Vector256.Create(2 * MLDsa87Parameters.Gamma2);
        var fifteen = Vector256.Create(15);
        for (nuint j = 0; j < N; j += 8)
        {
            var a = Vector256.LoadUnsafe(ref pw, j);
            a = Avx2.Add(a, Avx2.And(Avx2.ShiftRightArithmetic(a, 31), q));
            var r1 = Avx2.ShiftRightArithmetic(Avx2.Add(a, Vector256.Create(127)), 7);
            r1 = Avx2.ShiftRightArithmetic(Avx2.Add(Avx2.MultiplyLow(r1, Vector256.Create(1025)), Vector256.Create(1 << 21)), 22);
            r1 = Avx2.And(r1, fifteen);
            var r0 = Avx2.Subtract(a, Avx2.MultiplyLow(r1, twoGamma2));
            r0 = Avx2.Subtract(r0, Avx2.And(Avx2.ShiftRightArithmetic(Avx2.Subtract(halfQ, r0), 31), q));
            var notPositive = Avx2.ShiftRightArithmetic(Avx2.Subtract(r0, Vector256<int>.One), 31);
            var h = Vector256.LoadUnsafe(ref ph, j);
            var delta = Avx2.Subtract(Avx2.Xor(h, notPositive), notPositive);
            Avx2.And(Avx2.Add(r1, delta), fifteen).StoreUnsafe(ref pw, j);
        }
    }
}
