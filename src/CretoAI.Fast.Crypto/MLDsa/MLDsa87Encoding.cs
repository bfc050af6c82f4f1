namespace CretoAI.Fast.Crypto;

/// <summary>
/// Bit packing of FIPS 204 section 7.1-7.2 for ML-DSA-87 (little-endian bit order). Packing and
/// unpacking of secret polynomials (η, t0, z) run the same instructions whatever the values.
/// Unpack routines for public data are also total: any bytes give some polynomial, and only the
/// hint encoding can be malformed (<see cref="UnpackHints"/>).
/// </summary>
internal static class MLDsa87Encoding
{
    private const int N = MLDsa87Parameters.N;
    private const int Gamma1 = MLDsa87Parameters.Gamma1;

    /// <summary>SimpleBitPack(t1, 2¹⁰ − 1): four 10-bit coefficients per five bytes.</summary>
    public static void PackT1(ReadOnlySpan<int> t1, Span<byte> output)
    {
        for (var i = 0; i < N / 4; i++)
        {
            var c0 = t1[4 * i];
            var c1 = t1[(4 * i) + 1];
            var c2 = t1[(4 * i) + 2];
            var c3 = t1[(4 * i) + 3];
            output[5 * i] = (byte)c0;
            output[(5 * i) + 1] = (byte)((c0 >> 8) | (c1 << 2));
            output[(5 * i) + 2] = (byte)((c1 >> 6) | (c2 << 4));
            output[(5 * i) + 3] = (byte)((c2 >> 4) | (c3 << 6));
            output[(5 * i) + 4] = (byte)(c3 >> 2);
        }
    }

    public static void UnpackT1(ReadOnlySpan<byte> input, Span<int> t1)
    {
        for (var i = 0; i < N / 4; i++)
        {
            var b = input.Slice(5 * i, 5);
            t1[4 * i] = (b[0] | (b[1] << 8)) & 0x3FF;
            t1[(4 * i) + 1] = ((b[1] >> 2) | (b[2] << 6)) & 0x3FF;
            t1[(4 * i) + 2] = ((b[2] >> 4) | (b[3] << 4)) & 0x3FF;
            t1[(4 * i) + 3] = (b[3] >> 6) | (b[4] << 2);
        }
    }

    /// <summary>BitPack(z, γ1 − 1, γ1): γ1 − z in 20 bits, two coefficients per five bytes.</summary>
    public static void PackZ(ReadOnlySpan<int> z, Span<byte> output)
    {
        for (var i = 0; i < N / 2; i++)
        {
            var c0 = Gamma1 - z[2 * i];
            var c1 = Gamma1 - z[(2 * i) + 1];
            output[5 * i] = (byte)c0;
            output[(5 * i) + 1] = (byte)(c0 >> 8);
            output[(5 * i) + 2] = (byte)((c0 >> 16) | (c1 << 4));
            output[(5 * i) + 3] = (byte)(c1 >> 4);
            output[(5 * i) + 4] = (byte)(c1 >> 12);
        }
    }

    public static void UnpackZ(ReadOnlySpan<byte> input, Span<int> z)
    {
        for (var i = 0; i < N / 2; i++)
        {
            var b = input.Slice(5 * i, 5);
            z[2 * i] = Gamma1 - ((b[0] | (b[1] << 8) | (b[2] << 16)) & 0xFFFFF);
            z[(2 * i) + 1] = Gamma1 - ((b[2] >> 4) | (b[3] << 4) | (b[4] << 12));
        }
    }

    /// <summary>SimpleBitPack(w1, 15): two 4-bit coefficients per byte.</summary>
    public static void PackW1(ReadOnlySpan<int> w1, Span<byte> output)
    {
        for (var i = 0; i < N / 2; i++)
        {
            output[i] = (byte)(w1[2 * i] | (w1[(2 * i) + 1] << 4));
        }
    }

    /// <summary>BitPack(s, η, η) for η = 2: η − s in 3 bits, eight coefficients per three bytes.</summary>
    public static void PackEta(ReadOnlySpan<int> s, Span<byte> output) => PackBits(s, MLDsa87Parameters.Eta, 3, output);

    public static void UnpackEta(ReadOnlySpan<byte> input, Span<int> s) => UnpackBits(input, MLDsa87Parameters.Eta, 3, s);

    /// <summary>BitPack(t0, 2¹² − 1, 2¹²): 2¹² − t0 in 13 bits.</summary>
    public static void PackT0(ReadOnlySpan<int> t0, Span<byte> output) => PackBits(t0, 1 << (MLDsa87Parameters.D - 1), MLDsa87Parameters.D, output);

    public static void UnpackT0(ReadOnlySpan<byte> input, Span<int> t0) => UnpackBits(input, 1 << (MLDsa87Parameters.D - 1), MLDsa87Parameters.D, t0);

    /// <summary>Packs offset − value in <paramref name="bits"/> bits each, least significant bit first.</summary>
    private static void PackBits(ReadOnlySpan<int> values, int offset, int bits, Span<byte> output)
    {
        ulong buffer = 0;
        var held = 0;
        var at = 0;
        for (var i = 0; i < N; i++)
        {
            buffer |= (ulong)(uint)(offset - values[i]) << held;
            held += bits;
            while (held >= 8)
            {
                output[at++] = (byte)buffer;
                buffer >>= 8;
                held -= 8;
            }
        }
    }

    private static void UnpackBits(ReadOnlySpan<byte> input, int offset, int bits, Span<int> values)
    {
        var mask = (1UL << bits) - 1;
        ulong buffer = 0;
        var held = 0;
        var at = 0;
        for (var i = 0; i < N; i++)
        {
            while (held < bits)
            {
                buffer |= (ulong)input[at++] << held;
                held += 8;
            }

            values[i] = offset - (int)(buffer & mask);
            buffer >>= bits;
            held -= bits;
        }
    }

    /// <summary>
    /// HintBitPack (algorithm 20): the positions of the ones, then per polynomial the running count.
    /// Positions are public once the signature exists; the loop still touches every coefficient.
    /// </summary>
    public static void PackHints(ReadOnlySpan<int> hints, Span<byte> output)
    {
        var omega = MLDsa87Parameters.Omega;
        output[..(omega + MLDsa87Parameters.K)].Clear();
        var index = 0;
        for (var i = 0; i < MLDsa87Parameters.K; i++)
        {
            for (var j = 0; j < N; j++)
            {
                if (hints[(i * N) + j] != 0)
                {
                    output[index++] = (byte)j;
                }
            }

            output[omega + i] = (byte)index;
        }
    }

    /// <summary>
    /// HintBitUnpack (algorithm 21): false for any malformed encoding: counts decreasing or above ω,
    /// positions not strictly increasing within a polynomial, or non-zero padding.
    /// </summary>
    public static bool UnpackHints(ReadOnlySpan<byte> input, Span<int> hints)
    {
        var omega = MLDsa87Parameters.Omega;
        hints.Clear();
        var index = 0;
        for (var i = 0; i < MLDsa87Parameters.K; i++)
        {
            int end = input[omega + i];
            if (end < index || end > omega)
            {
                return false;
            }

            var first = index;
            while (index < end)
            {
                if (index > first && input[index - 1] >= input[index])
                {
                    return false;
                }

                hints[(i * N) + input[index]] = 1;
                index++;
            }
        }

        for (var i = index; i < omega; i++)
        {
            if (input[i] != 0)
            {
                return false;
            }
        }

        return true;
    }
}
