using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// Four independent Keccak-f[1600] permutations at once: lane i of instance j is element j of
/// <c>state[i]</c>. Used where ML-DSA needs several unrelated SHAKE streams (ExpandA rows,
/// ExpandMask, ExpandS), so one AVX2 instruction advances four sponges.
/// </summary>
internal static class KeccakF1600x4
{
    /// <summary>True when the four-way permutation runs on AVX2 (otherwise callers use four scalar sponges).</summary>
    public static bool IsAccelerated => Avx2.IsSupported && !SimdSwitch.ForceScalar;

    private static ReadOnlySpan<ulong> RoundConstants => KeccakF1600.RoundConstants;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Rol(Vector256<ulong> value, int count) => (value << count) | (value >>> (64 - count));

    /// <summary>Ternary-logic truth tables (inputs A=0xF0, B=0xCC, C=0xAA): A⊕B⊕C, and χ's A ⊕ (¬B ∧ C).</summary>
    private const byte Xor3 = 0x96;
    private const byte Chi = 0xD2;

    /// <summary>
    /// Permutes the four states: with AVX-512VL (one-instruction rotates and three-input logic,
    /// same results) when present, else with AVX2.
    /// </summary>
    public static void Permute(Span<Vector256<ulong>> state)
    {
        if (state.Length < 25)
        {
            throw new ArgumentException("Keccak-f[1600]x4 needs 25 lanes.", nameof(state));
        }

        if (Avx512F.VL.IsSupported)
        {
            PermuteAvx512(state);
        }
        else
        {
            PermuteAvx2(state);
        }
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PermuteAvx512(Span<Vector256<ulong>> state)
    {
        var a00 = state[0];
        var a01 = state[1];
        var a02 = state[2];
        var a03 = state[3];
        var a04 = state[4];
        var a05 = state[5];
        var a06 = state[6];
        var a07 = state[7];
        var a08 = state[8];
        var a09 = state[9];
        var a10 = state[10];
        var a11 = state[11];
        var a12 = state[12];
        var a13 = state[13];
        var a14 = state[14];
        var a15 = state[15];
        var a16 = state[16];
        var a17 = state[17];
        var a18 = state[18];
        var a19 = state[19];
        var a20 = state[20];
        var a21 = state[21];
        var a22 = state[22];
        var a23 = state[23];
        var a24 = state[24];
        for (var round = 0; round < 24; round++)
        {
            var c0 = Avx512F.VL.TernaryLogic(Avx512F.VL.TernaryLogic(a00, a05, a10, Xor3), a15, a20, Xor3);
            var c1 = Avx512F.VL.TernaryLogic(Avx512F.VL.TernaryLogic(a01, a06, a11, Xor3), a16, a21, Xor3);
            var c2 = Avx512F.VL.TernaryLogic(Avx512F.VL.TernaryLogic(a02, a07, a12, Xor3), a17, a22, Xor3);
            var c3 = Avx512F.VL.TernaryLogic(Avx512F.VL.TernaryLogic(a03, a08, a13, Xor3), a18, a23, Xor3);
            var c4 = Avx512F.VL.TernaryLogic(Avx512F.VL.TernaryLogic(a04, a09, a14, Xor3), a19, a24, Xor3);
            var d0 = c4 ^ Avx512F.VL.RotateLeft(c1, 1);
            var d1 = c0 ^ Avx512F.VL.RotateLeft(c2, 1);
            var d2 = c1 ^ Avx512F.VL.RotateLeft(c3, 1);
            var d3 = c2 ^ Avx512F.VL.RotateLeft(c4, 1);
            var d4 = c3 ^ Avx512F.VL.RotateLeft(c0, 1);
            var b00 = (a00 ^ d0);
            var b16 = Avx512F.VL.RotateLeft(a05 ^ d0, 36);
            var b07 = Avx512F.VL.RotateLeft(a10 ^ d0, 3);
            var b23 = Avx512F.VL.RotateLeft(a15 ^ d0, 41);
            var b14 = Avx512F.VL.RotateLeft(a20 ^ d0, 18);
            var b10 = Avx512F.VL.RotateLeft(a01 ^ d1, 1);
            var b01 = Avx512F.VL.RotateLeft(a06 ^ d1, 44);
            var b17 = Avx512F.VL.RotateLeft(a11 ^ d1, 10);
            var b08 = Avx512F.VL.RotateLeft(a16 ^ d1, 45);
            var b24 = Avx512F.VL.RotateLeft(a21 ^ d1, 2);
            var b20 = Avx512F.VL.RotateLeft(a02 ^ d2, 62);
            var b11 = Avx512F.VL.RotateLeft(a07 ^ d2, 6);
            var b02 = Avx512F.VL.RotateLeft(a12 ^ d2, 43);
            var b18 = Avx512F.VL.RotateLeft(a17 ^ d2, 15);
            var b09 = Avx512F.VL.RotateLeft(a22 ^ d2, 61);
            var b05 = Avx512F.VL.RotateLeft(a03 ^ d3, 28);
            var b21 = Avx512F.VL.RotateLeft(a08 ^ d3, 55);
            var b12 = Avx512F.VL.RotateLeft(a13 ^ d3, 25);
            var b03 = Avx512F.VL.RotateLeft(a18 ^ d3, 21);
            var b19 = Avx512F.VL.RotateLeft(a23 ^ d3, 56);
            var b15 = Avx512F.VL.RotateLeft(a04 ^ d4, 27);
            var b06 = Avx512F.VL.RotateLeft(a09 ^ d4, 20);
            var b22 = Avx512F.VL.RotateLeft(a14 ^ d4, 39);
            var b13 = Avx512F.VL.RotateLeft(a19 ^ d4, 8);
            var b04 = Avx512F.VL.RotateLeft(a24 ^ d4, 14);
            a00 = Avx512F.VL.TernaryLogic(b00, b01, b02, Chi);
            a01 = Avx512F.VL.TernaryLogic(b01, b02, b03, Chi);
            a02 = Avx512F.VL.TernaryLogic(b02, b03, b04, Chi);
            a03 = Avx512F.VL.TernaryLogic(b03, b04, b00, Chi);
            a04 = Avx512F.VL.TernaryLogic(b04, b00, b01, Chi);
            a05 = Avx512F.VL.TernaryLogic(b05, b06, b07, Chi);
            a06 = Avx512F.VL.TernaryLogic(b06, b07, b08, Chi);
            a07 = Avx512F.VL.TernaryLogic(b07, b08, b09, Chi);
            a08 = Avx512F.VL.TernaryLogic(b08, b09, b05, Chi);
            a09 = Avx512F.VL.TernaryLogic(b09, b05, b06, Chi);
            a10 = Avx512F.VL.TernaryLogic(b10, b11, b12, Chi);
            a11 = Avx512F.VL.TernaryLogic(b11, b12, b13, Chi);
            a12 = Avx512F.VL.TernaryLogic(b12, b13, b14, Chi);
            a13 = Avx512F.VL.TernaryLogic(b13, b14, b10, Chi);
            a14 = Avx512F.VL.TernaryLogic(b14, b10, b11, Chi);
            a15 = Avx512F.VL.TernaryLogic(b15, b16, b17, Chi);
            a16 = Avx512F.VL.TernaryLogic(b16, b17, b18, Chi);
            a17 = Avx512F.VL.TernaryLogic(b17, b18, b19, Chi);
            a18 = Avx512F.VL.TernaryLogic(b18, b19, b15, Chi);
            a19 = Avx512F.VL.TernaryLogic(b19, b15, b16, Chi);
            a20 = Avx512F.VL.TernaryLogic(b20, b21, b22, Chi);
            a21 = Avx512F.VL.TernaryLogic(b21, b22, b23, Chi);
            a22 = Avx512F.VL.TernaryLogic(b22, b23, b24, Chi);
            a23 = Avx512F.VL.TernaryLogic(b23, b24, b20, Chi);
            a24 = Avx512F.VL.TernaryLogic(b24, b20, b21, Chi);
            a00 ^= Vector256.Create(RoundConstants[round]);
        }
        state[0] = a00;
        state[1] = a01;
        state[2] = a02;
        state[3] = a03;
        state[4] = a04;
        state[5] = a05;
        state[6] = a06;
        state[7] = a07;
        state[8] = a08;
        state[9] = a09;
        state[10] = a10;
        state[11] = a11;
        state[12] = a12;
        state[13] = a13;
        state[14] = a14;
        state[15] = a15;
        state[16] = a16;
        state[17] = a17;
        state[18] = a18;
        state[19] = a19;
        state[20] = a20;
        state[21] = a21;
        state[22] = a22;
        state[23] = a23;
        state[24] = a24;
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PermuteAvx2(Span<Vector256<ulong>> state)
    {

        var a00 = state[0];
        var a01 = state[1];
        var a02 = state[2];
        var a03 = state[3];
        var a04 = state[4];
        var a05 = state[5];
        var a06 = state[6];
        var a07 = state[7];
        var a08 = state[8];
        var a09 = state[9];
        var a10 = state[10];
        var a11 = state[11];
        var a12 = state[12];
        var a13 = state[13];
        var a14 = state[14];
        var a15 = state[15];
        var a16 = state[16];
        var a17 = state[17];
        var a18 = state[18];
        var a19 = state[19];
        var a20 = state[20];
        var a21 = state[21];
        var a22 = state[22];
        var a23 = state[23];
        var a24 = state[24];
        for (var round = 0; round < 24; round++)
        {
            var c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20;
            var c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21;
            var c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22;
            var c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23;
            var c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
            var d0 = c4 ^ Rol(c1, 1);
            var d1 = c0 ^ Rol(c2, 1);
            var d2 = c1 ^ Rol(c3, 1);
            var d3 = c2 ^ Rol(c4, 1);
            var d4 = c3 ^ Rol(c0, 1);
            var b00 = (a00 ^ d0);
            var b16 = Rol((a05 ^ d0), 36);
            var b07 = Rol((a10 ^ d0), 3);
            var b23 = Rol((a15 ^ d0), 41);
            var b14 = Rol((a20 ^ d0), 18);
            var b10 = Rol((a01 ^ d1), 1);
            var b01 = Rol((a06 ^ d1), 44);
            var b17 = Rol((a11 ^ d1), 10);
            var b08 = Rol((a16 ^ d1), 45);
            var b24 = Rol((a21 ^ d1), 2);
            var b20 = Rol((a02 ^ d2), 62);
            var b11 = Rol((a07 ^ d2), 6);
            var b02 = Rol((a12 ^ d2), 43);
            var b18 = Rol((a17 ^ d2), 15);
            var b09 = Rol((a22 ^ d2), 61);
            var b05 = Rol((a03 ^ d3), 28);
            var b21 = Rol((a08 ^ d3), 55);
            var b12 = Rol((a13 ^ d3), 25);
            var b03 = Rol((a18 ^ d3), 21);
            var b19 = Rol((a23 ^ d3), 56);
            var b15 = Rol((a04 ^ d4), 27);
            var b06 = Rol((a09 ^ d4), 20);
            var b22 = Rol((a14 ^ d4), 39);
            var b13 = Rol((a19 ^ d4), 8);
            var b04 = Rol((a24 ^ d4), 14);
            a00 = b00 ^ Vector256.AndNot(b02, b01);
            a01 = b01 ^ Vector256.AndNot(b03, b02);
            a02 = b02 ^ Vector256.AndNot(b04, b03);
            a03 = b03 ^ Vector256.AndNot(b00, b04);
            a04 = b04 ^ Vector256.AndNot(b01, b00);
            a05 = b05 ^ Vector256.AndNot(b07, b06);
            a06 = b06 ^ Vector256.AndNot(b08, b07);
            a07 = b07 ^ Vector256.AndNot(b09, b08);
            a08 = b08 ^ Vector256.AndNot(b05, b09);
            a09 = b09 ^ Vector256.AndNot(b06, b05);
            a10 = b10 ^ Vector256.AndNot(b12, b11);
            a11 = b11 ^ Vector256.AndNot(b13, b12);
            a12 = b12 ^ Vector256.AndNot(b14, b13);
            a13 = b13 ^ Vector256.AndNot(b10, b14);
            a14 = b14 ^ Vector256.AndNot(b11, b10);
            a15 = b15 ^ Vector256.AndNot(b17, b16);
            a16 = b16 ^ Vector256.AndNot(b18, b17);
            a17 = b17 ^ Vector256.AndNot(b19, b18);
            a18 = b18 ^ Vector256.AndNot(b15, b19);
            a19 = b19 ^ Vector256.AndNot(b16, b15);
            a20 = b20 ^ Vector256.AndNot(b22, b21);
            a21 = b21 ^ Vector256.AndNot(b23, b22);
            a22 = b22 ^ Vector256.AndNot(b24, b23);
            a23 = b23 ^ Vector256.AndNot(b20, b24);
            a24 = b24 ^ Vector256.AndNot(b21, b20);
            a00 ^= Vector256.Create(RoundConstants[round]);
        }
        state[0] = a00;
        state[1] = a01;
        state[2] = a02;
        state[3] = a03;
        state[4] = a04;
        state[5] = a05;
        state[6] = a06;
        state[7] = a07;
        state[8] = a08;
        state[9] = a09;
        state[10] = a10;
        state[11] = a11;
        state[12] = a12;
        state[13] = a13;
        state[14] = a14;
        state[15] = a15;
        state[16] = a16;
        state[17] = a17;
        state[18] = a18;
        state[19] = a19;
        state[20] = a20;
        state[21] = a21;
        state[22] = a22;
        state[23] = a23;
        state[24] = a24;
    }
}
