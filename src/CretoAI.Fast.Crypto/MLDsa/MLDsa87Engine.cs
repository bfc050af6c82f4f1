using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// The internal ML-DSA-87 algorithms of FIPS 204 section 6 (KeyGen_internal, Sign_internal from μ,
/// Verify_internal from μ) on raw spans. <see cref="MLDsa87"/> and <see cref="MLDsa87Verifier"/>
/// add the argument checks and the message encodings (pure, pre-hash, internal, external μ).
/// </summary>
internal static class MLDsa87Engine
{
    private const int N = MLDsa87Parameters.N;
    private const int K = MLDsa87Parameters.K;
    private const int L = MLDsa87Parameters.L;
    private const int MatrixInts = K * L * N;

    private const int RhoOffset = 0;
    private const int KeyOffset = 32;
    private const int TrOffset = 64;
    private const int S1Offset = 128;
    private const int S2Offset = S1Offset + (L * MLDsa87Parameters.EtaPackedBytes);
    private const int T0Offset = S2Offset + (K * MLDsa87Parameters.EtaPackedBytes);

    private const int ZOffset = MLDsa87Parameters.CTildeBytes;
    private const int HintOffset = ZOffset + (L * MLDsa87Parameters.ZPackedBytes);

    /// <summary>ML-DSA.KeyGen_internal (algorithm 6).</summary>
    [SkipLocalsInit]
    public static void GenerateKeyPair(ReadOnlySpan<byte> seed, Span<byte> publicKey, Span<byte> secretKey)
    {
        Span<byte> expanded = stackalloc byte[128];
        Span<byte> domain = [K, L];
        KeccakSponge.Shake256(seed, domain, default, expanded);
        var rho = expanded[..32];
        var rhoPrime = expanded.Slice(32, 64);
        var key = expanded.Slice(96, 32);

        var rented = ArrayPool<int>.Shared.Rent(MatrixInts + ((2 * L) + (2 * K)) * N);
        try
        {
            var work = rented.AsSpan(0, MatrixInts + ((2 * L) + (2 * K)) * N);
            var matrix = work[..MatrixInts];
            var s1 = work.Slice(MatrixInts, L * N);
            var s1Hat = work.Slice(MatrixInts + (L * N), L * N);
            var s2 = work.Slice(MatrixInts + (2 * L * N), K * N);
            var t = work.Slice(MatrixInts + (((2 * L) + K) * N), K * N);

            MLDsa87Sampling.ExpandA(rho, matrix);
            for (var r = 0; r < L; r++)
            {
                MLDsa87Sampling.RejectionSampleEta(rhoPrime, r, s1.Slice(r * N, N));
            }

            for (var r = 0; r < K; r++)
            {
                MLDsa87Sampling.RejectionSampleEta(rhoPrime, L + r, s2.Slice(r * N, N));
            }

            s1.CopyTo(s1Hat);
            for (var j = 0; j < L; j++)
            {
                MLDsaPolynomial.Ntt(s1Hat.Slice(j * N, N));
            }

            MultiplyMatrix(matrix, s1Hat, t);
            MLDsaPolynomial.Add(t, s2, t);
            MLDsaPolynomial.Freeze(t);

            rho.CopyTo(publicKey);
            rho.CopyTo(secretKey);
            key.CopyTo(secretKey[KeyOffset..]);
            Span<int> t1 = stackalloc int[N];
            Span<int> t0 = stackalloc int[N];
            for (var i = 0; i < K; i++)
            {
                var ti = t.Slice(i * N, N);
                for (var c = 0; c < N; c++)
                {
                    t1[c] = MLDsa87Rounding.Power2Round(ti[c], out var low);
                    t0[c] = low;
                }

                MLDsa87Encoding.PackT1(t1, publicKey.Slice(32 + (i * MLDsa87Parameters.T1PackedBytes), MLDsa87Parameters.T1PackedBytes));
                MLDsa87Encoding.PackT0(t0, secretKey.Slice(T0Offset + (i * MLDsa87Parameters.T0PackedBytes), MLDsa87Parameters.T0PackedBytes));
            }

            for (var j = 0; j < L; j++)
            {
                MLDsa87Encoding.PackEta(s1.Slice(j * N, N), secretKey.Slice(S1Offset + (j * MLDsa87Parameters.EtaPackedBytes), MLDsa87Parameters.EtaPackedBytes));
            }

            for (var i = 0; i < K; i++)
            {
                MLDsa87Encoding.PackEta(s2.Slice(i * N, N), secretKey.Slice(S2Offset + (i * MLDsa87Parameters.EtaPackedBytes), MLDsa87Parameters.EtaPackedBytes));
            }

            KeccakSponge.Shake256(publicKey[..MLDsa87Parameters.PublicKeyBytes], default, default, secretKey.Slice(TrOffset, MLDsa87Parameters.TrBytes));
            t0.Clear();
        }
        finally
        {
            rented.AsSpan().Clear();
            ArrayPool<int>.Shared.Return(rented);
            CryptographicOperations.ZeroMemory(expanded);
        }
    }

    /// <summary>w = NTT⁻¹(Â∘v̂) for each of the k rows, reduced into (−q, q) before the inverse transform.</summary>
    private static void MultiplyMatrix(ReadOnlySpan<int> matrix, ReadOnlySpan<int> vectorHat, Span<int> result)
    {
        for (var i = 0; i < K; i++)
        {
            var row = result.Slice(i * N, N);
            MLDsaPolynomial.PointwiseMontgomery(matrix.Slice(i * L * N, N), vectorHat[..N], row);
            for (var j = 1; j < L; j++)
            {
                MLDsaPolynomial.PointwiseMontgomeryAccumulate(matrix.Slice(((i * L) + j) * N, N), vectorHat.Slice(j * N, N), row);
            }

            MLDsaPolynomial.Reduce(row);
            MLDsaPolynomial.InverseNttToMontgomery(row);
        }
    }

    /// <summary>tr = H(pk, 64).</summary>
    public static void ComputeTr(ReadOnlySpan<byte> publicKey, Span<byte> tr) => KeccakSponge.Shake256(publicKey, default, default, tr);

    /// <summary>
    /// μ = H(tr ‖ M′, 64) where M′ = header ‖ context ‖ oid ‖ message; pass an empty header for the
    /// internal interface (then M′ = message).
    /// </summary>
    public static void ComputeMu(ReadOnlySpan<byte> tr, ReadOnlySpan<byte> header, ReadOnlySpan<byte> context, ReadOnlySpan<byte> oid, ReadOnlySpan<byte> message, Span<byte> mu)
    {
        var sponge = KeccakSponge.Shake256();
        sponge.Absorb(tr);
        sponge.Absorb(header);
        sponge.Absorb(context);
        sponge.Absorb(oid);
        sponge.Absorb(message);
        sponge.Squeeze(mu[..MLDsa87Parameters.MuBytes]);
    }

    /// <summary>The tr stored in a secret key (bytes 64..127).</summary>
    public static ReadOnlySpan<byte> SecretKeyTr(ReadOnlySpan<byte> secretKey) => secretKey.Slice(TrOffset, MLDsa87Parameters.TrBytes);

    /// <summary>
    /// ML-DSA.Sign_internal (algorithm 7) from μ. Constant-time notes: the secret vectors go only
    /// through the NTT, Montgomery products, packing and branch-free rounding; the loop's only
    /// secret-dependent decisions are the four rejection checks, whose outcome (accept or retry)
    /// FIPS 204 allows to leak, and each check reads every coefficient before deciding.
    /// </summary>
    [SkipLocalsInit]
    public static void SignMu(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> mu, ReadOnlySpan<byte> rnd, Span<byte> signature)
    {
        const int workInts = MatrixInts + ((3 * L) + (6 * K) + 2) * N;
        var rented = ArrayPool<int>.Shared.Rent(workInts);
        Span<byte> rhoDoublePrime = stackalloc byte[64];
        Span<byte> w1Packed = stackalloc byte[K * MLDsa87Parameters.W1PackedBytes];
        try
        {
            var work = rented.AsSpan(0, workInts);
            var at = 0;
            Span<int> Take(Span<int> all, ref int offset, int polys)
            {
                var slice = all.Slice(offset, polys * N);
                offset += polys * N;
                return slice;
            }

            var matrix = Take(work, ref at, K * L);
            var s1Hat = Take(work, ref at, L);
            var s2Hat = Take(work, ref at, K);
            var t0Hat = Take(work, ref at, K);
            var y = Take(work, ref at, L);
            var z = Take(work, ref at, L);
            var w = Take(work, ref at, K);
            var r = Take(work, ref at, K);
            var ct0 = Take(work, ref at, K);
            var hints = Take(work, ref at, K);
            var c = Take(work, ref at, 1);
            var w1 = Take(work, ref at, 1);

            var rho = secretKey.Slice(RhoOffset, 32);
            for (var j = 0; j < L; j++)
            {
                var s = s1Hat.Slice(j * N, N);
                MLDsa87Encoding.UnpackEta(secretKey.Slice(S1Offset + (j * MLDsa87Parameters.EtaPackedBytes), MLDsa87Parameters.EtaPackedBytes), s);
                MLDsaPolynomial.Ntt(s);
            }

            for (var i = 0; i < K; i++)
            {
                var s = s2Hat.Slice(i * N, N);
                MLDsa87Encoding.UnpackEta(secretKey.Slice(S2Offset + (i * MLDsa87Parameters.EtaPackedBytes), MLDsa87Parameters.EtaPackedBytes), s);
                MLDsaPolynomial.Ntt(s);
                var t0 = t0Hat.Slice(i * N, N);
                MLDsa87Encoding.UnpackT0(secretKey.Slice(T0Offset + (i * MLDsa87Parameters.T0PackedBytes), MLDsa87Parameters.T0PackedBytes), t0);
                MLDsaPolynomial.Ntt(t0);
            }

            MLDsa87Sampling.ExpandA(rho, matrix);
            KeccakSponge.Shake256(secretKey.Slice(KeyOffset, 32), rnd, mu, rhoDoublePrime);

            var cTilde = signature[..MLDsa87Parameters.CTildeBytes];
            for (var kappa = 0; ; kappa += L)
            {
                MLDsa87Sampling.ExpandMask(rhoDoublePrime, kappa, y);
                y.CopyTo(z);
                for (var j = 0; j < L; j++)
                {
                    MLDsaPolynomial.Ntt(z.Slice(j * N, N));
                }

                MultiplyMatrix(matrix, z, w);
                MLDsaPolynomial.Freeze(w);
                for (var i = 0; i < K; i++)
                {
                    var wi = w.Slice(i * N, N);
                    for (var n = 0; n < N; n++)
                    {
                        w1[n] = MLDsa87Rounding.HighBits(wi[n]);
                    }

                    MLDsa87Encoding.PackW1(w1, w1Packed.Slice(i * MLDsa87Parameters.W1PackedBytes, MLDsa87Parameters.W1PackedBytes));
                }

                var sponge = KeccakSponge.Shake256();
                sponge.Absorb(mu);
                sponge.Absorb(w1Packed);
                sponge.Squeeze(cTilde);

                MLDsa87Sampling.SampleInBall(cTilde, c);
                MLDsaPolynomial.Ntt(c);

                // z = y + NTT⁻¹(ĉ∘ŝ1)
                for (var j = 0; j < L; j++)
                {
                    var zj = z.Slice(j * N, N);
                    MLDsaPolynomial.PointwiseMontgomery(c, s1Hat.Slice(j * N, N), zj);
                    MLDsaPolynomial.InverseNttToMontgomery(zj);
                    MLDsaPolynomial.Add(zj, y.Slice(j * N, N), zj);
                }

                MLDsaPolynomial.Center(z);
                var reject = MLDsaPolynomial.ExceedsNorm(z, MLDsa87Parameters.Gamma1 - MLDsa87Parameters.Beta);

                // r = w − NTT⁻¹(ĉ∘ŝ2); its low bits must stay below γ2 − β.
                var lowFailed = 0;
                for (var i = 0; i < K; i++)
                {
                    var ri = r.Slice(i * N, N);
                    MLDsaPolynomial.PointwiseMontgomery(c, s2Hat.Slice(i * N, N), ri);
                    MLDsaPolynomial.InverseNttToMontgomery(ri);
                    MLDsaPolynomial.Subtract(w.Slice(i * N, N), ri, ri);
                    MLDsaPolynomial.Freeze(ri);
                    for (var n = 0; n < N; n++)
                    {
                        MLDsa87Rounding.Decompose(ri[n], out var r0);
                        var sign = r0 >> 31;
                        var magnitude = (r0 ^ sign) - sign;
                        lowFailed |= (MLDsa87Parameters.Gamma2 - MLDsa87Parameters.Beta - 1 - magnitude) >> 31;
                    }

                    var cti = ct0.Slice(i * N, N);
                    MLDsaPolynomial.PointwiseMontgomery(c, t0Hat.Slice(i * N, N), cti);
                    MLDsaPolynomial.InverseNttToMontgomery(cti);
                }

                MLDsaPolynomial.Center(ct0);
                reject |= lowFailed != 0;
                reject |= MLDsaPolynomial.ExceedsNorm(ct0, MLDsa87Parameters.Gamma2);

                // h = MakeHint(−ct0, r + ct0): HighBits(r + ct0) ≠ HighBits(r), counted without branching.
                var ones = 0;
                for (var n = 0; n < K * N; n++)
                {
                    var plus = MLDsaPolynomial.Freeze(r[n] + ct0[n]);
                    var differs = MLDsa87Rounding.HighBits(plus) ^ MLDsa87Rounding.HighBits(r[n]);
                    var bit = (int)((uint)(differs | -differs) >> 31);
                    hints[n] = bit;
                    ones += bit;
                }

                reject |= ones > MLDsa87Parameters.Omega;
                if (reject)
                {
                    continue;
                }

                for (var j = 0; j < L; j++)
                {
                    MLDsa87Encoding.PackZ(z.Slice(j * N, N), signature.Slice(ZOffset + (j * MLDsa87Parameters.ZPackedBytes), MLDsa87Parameters.ZPackedBytes));
                }

                MLDsa87Encoding.PackHints(hints, signature[HintOffset..]);
                return;
            }
        }
        finally
        {
            rented.AsSpan(0, workInts).Clear();
            ArrayPool<int>.Shared.Return(rented);
            CryptographicOperations.ZeroMemory(rhoDoublePrime);
        }
    }

    /// <summary>Â (k×l, NTT domain) from the public key's ρ.</summary>
    public static void ExpandPublicMatrix(ReadOnlySpan<byte> publicKey, Span<int> matrix) => MLDsa87Sampling.ExpandA(publicKey[..32], matrix);

    /// <summary>NTT(t1·2^d) for each of the k polynomials of the public key.</summary>
    public static void ExpandT1(ReadOnlySpan<byte> publicKey, Span<int> t1Hat)
    {
        for (var i = 0; i < K; i++)
        {
            var t = t1Hat.Slice(i * N, N);
            MLDsa87Encoding.UnpackT1(publicKey.Slice(32 + (i * MLDsa87Parameters.T1PackedBytes), MLDsa87Parameters.T1PackedBytes), t);
            for (var n = 0; n < N; n++)
            {
                t[n] <<= MLDsa87Parameters.D;
            }

            MLDsaPolynomial.Ntt(t);
        }
    }

    /// <summary>
    /// Verify_internal (algorithm 8) from μ, given the expanded public key (Â and NTT(t1·2^d)).
    /// Returns false for a malformed hint encoding, a too-large z or a wrong commitment hash.
    /// </summary>
    [SkipLocalsInit]
    public static bool VerifyMu(ReadOnlySpan<int> matrix, ReadOnlySpan<int> t1Hat, ReadOnlySpan<byte> mu, ReadOnlySpan<byte> signature)
    {
        Span<int> hints = stackalloc int[K * N];
        if (!MLDsa87Encoding.UnpackHints(signature.Slice(HintOffset, MLDsa87Parameters.Omega + K), hints))
        {
            return false;
        }

        Span<int> zHat = stackalloc int[L * N];
        for (var j = 0; j < L; j++)
        {
            MLDsa87Encoding.UnpackZ(signature.Slice(ZOffset + (j * MLDsa87Parameters.ZPackedBytes), MLDsa87Parameters.ZPackedBytes), zHat.Slice(j * N, N));
        }

        if (MLDsaPolynomial.ExceedsNorm(zHat, MLDsa87Parameters.Gamma1 - MLDsa87Parameters.Beta))
        {
            return false;
        }

        for (var j = 0; j < L; j++)
        {
            MLDsaPolynomial.Ntt(zHat.Slice(j * N, N));
        }

        var cTilde = signature[..MLDsa87Parameters.CTildeBytes];
        Span<int> cHat = stackalloc int[N];
        MLDsa87Sampling.SampleInBall(cTilde, cHat);
        MLDsaPolynomial.Ntt(cHat);

        Span<int> w = stackalloc int[N];
        Span<byte> w1Packed = stackalloc byte[K * MLDsa87Parameters.W1PackedBytes];
        for (var i = 0; i < K; i++)
        {
            MLDsaPolynomial.PointwiseMontgomery(matrix.Slice(i * L * N, N), zHat[..N], w);
            for (var j = 1; j < L; j++)
            {
                MLDsaPolynomial.PointwiseMontgomeryAccumulate(matrix.Slice(((i * L) + j) * N, N), zHat.Slice(j * N, N), w);
            }

            MLDsaPolynomial.PointwiseMontgomerySubtract(cHat, t1Hat.Slice(i * N, N), w);
            MLDsaPolynomial.Reduce(w);
            MLDsaPolynomial.InverseNttToMontgomery(w);
            MLDsaPolynomial.UseHint(w, hints.Slice(i * N, N));

            MLDsa87Encoding.PackW1(w, w1Packed.Slice(i * MLDsa87Parameters.W1PackedBytes, MLDsa87Parameters.W1PackedBytes));
        }

        Span<byte> expected = stackalloc byte[MLDsa87Parameters.CTildeBytes];
        var sponge = KeccakSponge.Shake256();
        sponge.Absorb(mu);
        sponge.Absorb(w1Packed);
        sponge.Squeeze(expected);
        return CryptographicOperations.FixedTimeEquals(expected, cTilde);
    }

    /// <summary>Verify_internal from μ straight from public-key bytes, expanding the key on the stack (no cache).</summary>
    [SkipLocalsInit]
    public static bool VerifyMuCold(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> mu, ReadOnlySpan<byte> signature)
    {
        Span<int> matrix = stackalloc int[MatrixInts];
        Span<int> t1Hat = stackalloc int[K * N];
        ExpandPublicMatrix(publicKey, matrix);
        ExpandT1(publicKey, t1Hat);
        return VerifyMu(matrix, t1Hat, mu, signature);
    }
}
