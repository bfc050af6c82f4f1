using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Xunit;

namespace CretoAI.Fast.Crypto.Tests;

/// <summary>The AVX2 kernels compute exactly what the scalar ones do, on random inputs.</summary>
[Collection(SimdSwitchCollection.Name)]
public class MLDsaSimdAgreementTests
{
    private const int Q = 8380417;

    [Fact]
    public void Ntt_inverse_ntt_and_products_agree_bit_for_bit()
    {
        if (!Avx2.IsSupported)
        {
            return; // Nothing to compare: the scalar path is the only one here.
        }

        var random = new Random(11);
        for (var trial = 0; trial < 200; trial++)
        {
            var a = RandomPoly(random, Q);
            var b = RandomPoly(random, Q);
            var scalar = (int[])a.Clone();
            var simd = (int[])a.Clone();
            MLDsaPolynomial.NttScalar(scalar);
            MLDsaPolynomialAvx2.Ntt(simd);
            Assert.Equal(scalar, simd);

            var inverseScalar = (int[])b.Clone();
            var inverseSimd = (int[])b.Clone();
            MLDsaPolynomial.InverseNttToMontgomeryScalar(inverseScalar);
            MLDsaPolynomialAvx2.InverseNttToMontgomery(inverseSimd);
            Assert.Equal(inverseScalar, inverseSimd);

            var productScalar = new int[256];
            var productSimd = new int[256];
            using (SimdSwitchCollection.Force(scalar: true))
            {
                MLDsaPolynomial.PointwiseMontgomery(scalar, b, productScalar);
                MLDsaPolynomial.PointwiseMontgomeryAccumulate(a, b, productScalar);
                MLDsaPolynomial.PointwiseMontgomerySubtract(b, b, productScalar);
            }

            MLDsaPolynomialAvx2.PointwiseMontgomery(simd, b, productSimd);
            MLDsaPolynomialAvx2.PointwiseMontgomeryAccumulate(a, b, productSimd);
            MLDsaPolynomialAvx2.PointwiseMontgomerySubtract(b, b, productSimd);
            Assert.Equal(productScalar, productSimd);
        }
    }

    [Fact]
    public void Rejection_sampling_of_uniform_coefficients_agrees_with_the_scalar_parse()
    {
        if (!Avx2.IsSupported)
        {
            return; // Nothing to compare: the scalar path is the only one here.
        }

        var random = new Random(13);
        for (var trial = 0; trial < 3000; trial++)
        {
            // Lengths around the SHAKE128 block (168) and the five-block first squeeze (840), and
            // odd ones; starts anywhere from empty to full. Every 3-byte group's top byte is drawn
            // so that about half the candidates are at or above q and every 8-bit acceptance mask shows up.
            var length = trial % 3 == 0 ? 840 : trial % 3 == 1 ? 168 : random.Next(0, 900);
            var buffer = new byte[length];
            random.NextBytes(buffer);
            for (var i = 2; i < length; i += 3)
            {
                buffer[i] = random.Next(2) == 0 ? (byte)(0x7F | (buffer[i] & 0x80)) : buffer[i];
            }

            var filled = trial % 5 == 0 ? 0 : random.Next(0, 257);
            var scalar = new int[256];
            var simd = new int[256];
            random.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(scalar.AsSpan()));
            scalar.CopyTo(simd, 0);
            var before = scalar[..filled];
            var scalarCount = MLDsa87Sampling.ParseUniformScalar(buffer, scalar, filled);
            var simdCount = MLDsa87Sampling.ParseUniform(buffer, simd, filled);
            // Entries from the count on are scratch (both paths write rejected candidates there).
            Assert.Equal(scalarCount, simdCount);
            Assert.Equal(scalar.AsSpan(0, scalarCount).ToArray(), simd.AsSpan(0, simdCount).ToArray());
            Assert.Equal(before, simd[..filled]);
        }
    }

    [Fact]
    public void Ntt_then_inverse_is_the_identity_times_montgomery_factor()
    {
        var random = new Random(12);
        var a = RandomPoly(random, Q);
        var b = (int[])a.Clone();
        MLDsaPolynomial.NttScalar(b);
        MLDsaPolynomial.Reduce(b);
        MLDsaPolynomial.InverseNttToMontgomeryScalar(b);

        // invNTT(NTT(a)) = a·R mod q with R = 2^32.
        const long r = 4193792;
        for (var i = 0; i < 256; i++)
        {
            Assert.Equal(((a[i] * r % Q) + Q) % Q, ((b[i] % Q) + Q) % Q);
        }
    }

    [Fact]
    public void Four_way_keccak_equals_four_scalar_permutations()
    {
        if (!Avx2.IsSupported)
        {
            return; // Nothing to compare: the scalar path is the only one here.
        }

        var random = new Random(13);
        var lanes = new ulong[4][];
        var vector = new Vector256<ulong>[25];
        for (var s = 0; s < 4; s++)
        {
            lanes[s] = new ulong[25];
            for (var i = 0; i < 25; i++)
            {
                lanes[s][i] = (ulong)random.NextInt64();
            }
        }

        for (var i = 0; i < 25; i++)
        {
            vector[i] = Vector256.Create(lanes[0][i], lanes[1][i], lanes[2][i], lanes[3][i]);
        }

        var avx512 = (Vector256<ulong>[])vector.Clone();
        KeccakF1600x4.PermuteAvx2(vector);
        if (Avx512F.VL.IsSupported)
        {
            KeccakF1600x4.PermuteAvx512(avx512);
            Assert.Equal(vector, avx512);
        }

        for (var s = 0; s < 4; s++)
        {
            KeccakF1600.Permute(lanes[s]);
            for (var i = 0; i < 25; i++)
            {
                Assert.Equal(lanes[s][i], vector[i].GetElement(s));
            }
        }
    }

    [Fact]
    public void Expand_a_and_expand_mask_are_the_same_with_four_way_and_scalar_shake()
    {
        var rho = new byte[64];
        new Random(14).NextBytes(rho);
        var simdMatrix = new int[56 * 256];
        var scalarMatrix = new int[56 * 256];
        var simdMask = new int[7 * 256];
        var scalarMask = new int[7 * 256];
        MLDsa87Sampling.ExpandA(rho.AsSpan(0, 32), simdMatrix);
        MLDsa87Sampling.ExpandMask(rho, 14, simdMask);
        using (SimdSwitchCollection.Force(scalar: true))
        {
            MLDsa87Sampling.ExpandA(rho.AsSpan(0, 32), scalarMatrix);
            MLDsa87Sampling.ExpandMask(rho, 14, scalarMask);
        }

        Assert.Equal(scalarMatrix, simdMatrix);
        Assert.Equal(scalarMask, simdMask);
    }

    [Fact]
    public void Sha3_and_shake_match_the_platform_hashes()
    {
        var data = new byte[1000];
        new Random(15).NextBytes(data);
        foreach (var length in new[] { 0, 1, 135, 136, 137, 167, 168, 169, 1000 })
        {
            var ours = new byte[32];
            var sponge = KeccakSponge.Sha3(32);
            sponge.Absorb(data.AsSpan(0, length));
            sponge.Squeeze(ours);
            Assert.Equal(System.Security.Cryptography.SHA3_256.HashData(data.AsSpan(0, length)), ours);
        }
    }

    private static int[] RandomPoly(Random random, int bound)
    {
        var poly = new int[256];
        for (var i = 0; i < poly.Length; i++)
        {
            poly[i] = random.Next(-bound + 1, bound);
        }

        return poly;
    }
}
