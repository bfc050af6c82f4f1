using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// The pseudorandom samplers of FIPS 204 section 7.3 for ML-DSA-87: RejNTTPoly/ExpandA (SHAKE128),
/// RejBoundedPoly/ExpandS, ExpandMask and SampleInBall (SHAKE256). ExpandA and ExpandMask run four
/// SHAKE streams at once with <see cref="KeccakSponge4"/> when AVX2 is there.
/// </summary>
internal static class MLDsa87Sampling
{
    private const int N = MLDsa87Parameters.N;
    private const int Q = MLDsa87Parameters.Q;

    /// <summary>Five SHAKE128 blocks hold 280 candidates; 256 accepted ones almost always fit.</summary>
    private const int RejectionBlocks = 5;

    /// <summary>
    /// RejNTTPoly (algorithm 30) from any byte stream: parses 3-byte candidates in <paramref name="buffer"/>
    /// into <paramref name="a"/> from position <paramref name="filled"/>; returns the new count.
    /// Rejection here depends only on public data (ρ).
    /// </summary>
    internal static int ParseUniform(ReadOnlySpan<byte> buffer, Span<int> a, int filled)
    {
        var consumed = 0;
        if (Avx2.IsSupported && !SimdSwitch.ForceScalar)
        {
            (consumed, filled) = ParseUniformAvx2(buffer, a, filled);
        }

        return ParseUniformScalar(buffer[consumed..], a, filled);
    }

    internal static int ParseUniformScalar(ReadOnlySpan<byte> buffer, Span<int> a, int filled)
    {
        for (var i = 0; i + 3 <= buffer.Length && filled < N; i += 3)
        {
            // Write unconditionally and advance only on acceptance: no unpredictable branch.
            var candidate = buffer[i] | (buffer[i + 1] << 8) | ((buffer[i + 2] & 0x7F) << 16);
            a[filled] = candidate;
            filled += (int)((uint)(candidate - Q) >> 31);
        }

        return filled;
    }

    /// <summary>
    /// Eight candidates per step: 24 bytes spread into eight 32-bit lanes (a dword permute puts bytes
    /// 0–11 in the low 128-bit lane and 12–23 in the high one, a byte shuffle widens each 3-byte group),
    /// masked to 23 bits and compared with q; the accepted lanes are packed to the front with a
    /// permute looked up by the 8-bit acceptance mask and stored. Runs while eight more outputs fit in
    /// <paramref name="a"/> and 32 bytes can be loaded; returns the bytes consumed (a multiple of 3)
    /// and the new count, and the scalar loop finishes the rest. Entries from the count on are scratch.
    /// </summary>
    private static (int Consumed, int Filled) ParseUniformAvx2(ReadOnlySpan<byte> buffer, Span<int> a, int filled)
    {
        if (a.Length < N)
        {
            throw new ArgumentException("RejNTTPoly needs room for 256 coefficients.", nameof(a));
        }

        var spread = Vector256.Create(0, 1, 2, 0, 3, 4, 5, 0);
        var widen = Vector256.Create(
            (byte)0, 1, 2, 0x80, 3, 4, 5, 0x80, 6, 7, 8, 0x80, 9, 10, 11, 0x80,
            0, 1, 2, 0x80, 3, 4, 5, 0x80, 6, 7, 8, 0x80, 9, 10, 11, 0x80);
        var low23 = Vector256.Create(0x7FFFFF);
        var q = Vector256.Create(Q);
        var pack = LeftPackOrder;
        ref var source = ref MemoryMarshal.GetReference(buffer);
        ref var target = ref MemoryMarshal.GetReference(a);
        var i = 0;
        while (i + 32 <= buffer.Length && filled <= N - 8)
        {
            var raw = Vector256.LoadUnsafe(ref source, (nuint)i).AsInt32();
            var candidates = Avx2.Shuffle(Avx2.PermuteVar8x32(raw, spread).AsByte(), widen).AsInt32() & low23;
            var accepted = (uint)Avx.MoveMask(Avx2.CompareGreaterThan(q, candidates).AsSingle());
            var order = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(pack[(int)accepted]).AsByte());
            Avx2.PermuteVar8x32(candidates, order).StoreUnsafe(ref target, (nuint)filled);
            filled += BitOperations.PopCount(accepted);
            i += 24;
        }

        return (i, filled);
    }

    /// <summary>For each 8-bit mask, the lane numbers of its set bits in order, one per byte (low byte first).</summary>
    private static readonly ulong[] LeftPackOrder = BuildLeftPackOrder();

    private static ulong[] BuildLeftPackOrder()
    {
        var table = new ulong[256];
        for (var mask = 0; mask < 256; mask++)
        {
            ulong order = 0;
            var slot = 0;
            for (var lane = 0; lane < 8; lane++)
            {
                if ((mask & (1 << lane)) != 0)
                {
                    order |= (ulong)lane << (8 * slot++);
                }
            }

            table[mask] = order;
        }

        return table;
    }

    /// <summary>Seed ρ ‖ s ‖ r for matrix entry (row r, column s), FIPS 204 algorithm 32.</summary>
    private static void MatrixSeed(ReadOnlySpan<byte> rho, int row, int column, Span<byte> seed)
    {
        rho.CopyTo(seed);
        seed[32] = (byte)column;
        seed[33] = (byte)row;
    }

    /// <summary>ExpandA (algorithm 32): the k×l matrix Â in the NTT domain, row-major, 256 ints per entry.</summary>
    [SkipLocalsInit]
    public static void ExpandA(ReadOnlySpan<byte> rho, Span<int> matrix)
    {
        const int entries = MLDsa87Parameters.K * MLDsa87Parameters.L;
        var entry = 0;
        if (KeccakF1600x4.IsAccelerated)
        {
            Span<byte> seeds = stackalloc byte[4 * 34];
            Span<byte> stream = stackalloc byte[4 * RejectionBlocks * KeccakSponge.Shake128Rate];
            var sponge = default(KeccakSponge4);
            for (; entry + 4 <= entries; entry += 4)
            {
                for (var s = 0; s < 4; s++)
                {
                    var index = entry + s;
                    MatrixSeed(rho, index / MLDsa87Parameters.L, index % MLDsa87Parameters.L, seeds.Slice(34 * s, 34));
                }

                sponge.Initialize(KeccakSponge.Shake128Rate, seeds[..34], seeds.Slice(34, 34), seeds.Slice(68, 34), seeds.Slice(102, 34));
                const int streamBytes = RejectionBlocks * KeccakSponge.Shake128Rate;
                for (var block = 0; block < RejectionBlocks; block++)
                {
                    var at = block * KeccakSponge.Shake128Rate;
                    sponge.SqueezeBlock(
                        stream.Slice(at, KeccakSponge.Shake128Rate),
                        stream.Slice(streamBytes + at, KeccakSponge.Shake128Rate),
                        stream.Slice((2 * streamBytes) + at, KeccakSponge.Shake128Rate),
                        stream.Slice((3 * streamBytes) + at, KeccakSponge.Shake128Rate));
                }

                var f0 = ParseUniform(stream[..streamBytes], matrix.Slice(entry * N, N), 0);
                var f1 = ParseUniform(stream.Slice(streamBytes, streamBytes), matrix.Slice((entry + 1) * N, N), 0);
                var f2 = ParseUniform(stream.Slice(2 * streamBytes, streamBytes), matrix.Slice((entry + 2) * N, N), 0);
                var f3 = ParseUniform(stream.Slice(3 * streamBytes, streamBytes), matrix.Slice((entry + 3) * N, N), 0);
                while (f0 < N || f1 < N || f2 < N || f3 < N)
                {
                    sponge.SqueezeBlock(
                        stream[..KeccakSponge.Shake128Rate],
                        stream.Slice(streamBytes, KeccakSponge.Shake128Rate),
                        stream.Slice(2 * streamBytes, KeccakSponge.Shake128Rate),
                        stream.Slice(3 * streamBytes, KeccakSponge.Shake128Rate));
                    f0 = ParseUniform(stream[..KeccakSponge.Shake128Rate], matrix.Slice(entry * N, N), f0);
                    f1 = ParseUniform(stream.Slice(streamBytes, KeccakSponge.Shake128Rate), matrix.Slice((entry + 1) * N, N), f1);
                    f2 = ParseUniform(stream.Slice(2 * streamBytes, KeccakSponge.Shake128Rate), matrix.Slice((entry + 2) * N, N), f2);
                    f3 = ParseUniform(stream.Slice(3 * streamBytes, KeccakSponge.Shake128Rate), matrix.Slice((entry + 3) * N, N), f3);
                }
            }
        }

        Span<byte> oneSeed = stackalloc byte[34];
        for (; entry < entries; entry++)
        {
            MatrixSeed(rho, entry / MLDsa87Parameters.L, entry % MLDsa87Parameters.L, oneSeed);
            RejectionSampleNtt(oneSeed, matrix.Slice(entry * N, N));
        }
    }

    /// <summary>RejNTTPoly (algorithm 30) with one scalar SHAKE128 stream.</summary>
    [SkipLocalsInit]
    public static void RejectionSampleNtt(ReadOnlySpan<byte> seed, Span<int> a)
    {
        Span<byte> stream = stackalloc byte[RejectionBlocks * KeccakSponge.Shake128Rate];
        var sponge = KeccakSponge.Shake128();
        sponge.Absorb(seed);
        sponge.Squeeze(stream);
        var filled = ParseUniform(stream, a, 0);
        while (filled < N)
        {
            var block = stream[..KeccakSponge.Shake128Rate];
            sponge.Squeeze(block);
            filled = ParseUniform(block, a, filled);
        }
    }

    /// <summary>
    /// RejBoundedPoly (algorithm 31) for η = 2 with seed ρ′ ‖ IntegerToBytes(index, 2). The
    /// rejection (a nibble of 15) depends on the SHAKE output, not on the secret coefficients,
    /// and FIPS 204 accepts that timing; the value mapping itself is branch-free.
    /// </summary>
    [SkipLocalsInit]
    public static void RejectionSampleEta(ReadOnlySpan<byte> rhoPrime, int index, Span<int> a)
    {
        Span<byte> suffix = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(suffix, (ushort)index);
        var sponge = KeccakSponge.Shake256();
        sponge.Absorb(rhoPrime);
        sponge.Absorb(suffix);
        Span<byte> block = stackalloc byte[KeccakSponge.Shake256Rate];
        var filled = 0;
        while (filled < N)
        {
            sponge.Squeeze(block);
            for (var i = 0; i < block.Length && filled < N; i++)
            {
                var low = block[i] & 0x0F;
                var high = block[i] >> 4;
                if (low < 15)
                {
                    a[filled++] = 2 - (low - (5 * ((low * 205) >> 10)));
                }

                if (high < 15 && filled < N)
                {
                    a[filled++] = 2 - (high - (5 * ((high * 205) >> 10)));
                }
            }
        }

        sponge.Clear();
        block.Clear();
    }

    /// <summary>
    /// ExpandMask (algorithm 34): y_r from SHAKE256(ρ″ ‖ IntegerToBytes(κ + r, 2)), 20-bit values
    /// mapped to γ1 − v. No rejection: constant time in the (secret) output.
    /// </summary>
    [SkipLocalsInit]
    public static void ExpandMask(ReadOnlySpan<byte> rhoDoublePrime, int kappa, Span<int> y)
    {
        const int l = MLDsa87Parameters.L;
        const int bytes = MLDsa87Parameters.ZPackedBytes;

        // 640 bytes is 4.7 SHAKE256 blocks: squeeze five whole blocks per stream.
        const int blocks = 5;
        Span<byte> stream = stackalloc byte[4 * blocks * KeccakSponge.Shake256Rate];
        Span<byte> seeds = stackalloc byte[4 * 66];
        var r = 0;
        if (KeccakF1600x4.IsAccelerated)
        {
            var sponge = default(KeccakSponge4);
            const int streamBytes = blocks * KeccakSponge.Shake256Rate;
            for (; r + 4 <= l + 1; r += 4)
            {
                // Streams beyond l are computed and ignored (7 = 4 + 3).
                for (var s = 0; s < 4; s++)
                {
                    rhoDoublePrime.CopyTo(seeds.Slice(66 * s, 64));
                    BinaryPrimitives.WriteUInt16LittleEndian(seeds.Slice((66 * s) + 64, 2), (ushort)(kappa + r + s));
                }

                sponge.Initialize(KeccakSponge.Shake256Rate, seeds[..66], seeds.Slice(66, 66), seeds.Slice(132, 66), seeds.Slice(198, 66));
                for (var block = 0; block < blocks; block++)
                {
                    var at = block * KeccakSponge.Shake256Rate;
                    sponge.SqueezeBlock(
                        stream.Slice(at, KeccakSponge.Shake256Rate),
                        stream.Slice(streamBytes + at, KeccakSponge.Shake256Rate),
                        stream.Slice((2 * streamBytes) + at, KeccakSponge.Shake256Rate),
                        stream.Slice((3 * streamBytes) + at, KeccakSponge.Shake256Rate));
                }

                for (var s = 0; s < 4 && r + s < l; s++)
                {
                    MLDsa87Encoding.UnpackZ(stream.Slice(s * streamBytes, bytes), y.Slice((r + s) * N, N));
                }
            }

            sponge.Clear();
        }

        for (; r < l; r++)
        {
            rhoDoublePrime.CopyTo(seeds[..64]);
            BinaryPrimitives.WriteUInt16LittleEndian(seeds.Slice(64, 2), (ushort)(kappa + r));
            var sponge = KeccakSponge.Shake256();
            sponge.Absorb(seeds[..66]);
            sponge.Squeeze(stream[..bytes]);
            sponge.Clear();
            MLDsa87Encoding.UnpackZ(stream[..bytes], y.Slice(r * N, N));
        }

        stream.Clear();
    }

    /// <summary>
    /// SampleInBall (algorithm 29): the challenge c with τ = 60 coefficients ±1. Its input c̃ is
    /// part of the signature, so the data-dependent loop reveals nothing secret.
    /// </summary>
    [SkipLocalsInit]
    public static void SampleInBall(ReadOnlySpan<byte> cTilde, Span<int> c)
    {
        var sponge = KeccakSponge.Shake256();
        sponge.Absorb(cTilde);
        Span<byte> block = stackalloc byte[KeccakSponge.Shake256Rate];
        sponge.Squeeze(block);
        var signs = BinaryPrimitives.ReadUInt64LittleEndian(block);
        var position = 8;
        c.Clear();
        for (var i = N - MLDsa87Parameters.Tau; i < N; i++)
        {
            int j;
            do
            {
                if (position == block.Length)
                {
                    sponge.Squeeze(block);
                    position = 0;
                }

                j = block[position++];
            }
            while (j > i);

            c[i] = c[j];
            c[j] = 1 - (2 * (int)(signs & 1));
            signs >>= 1;
        }
    }
}
