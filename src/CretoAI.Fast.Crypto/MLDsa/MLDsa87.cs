using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// ML-DSA-87 (FIPS 204): key generation from a seed, signing and verification for the pure
/// interface with a context string, HashML-DSA (pre-hash), and the internal interface (M′ given,
/// or μ computed outside). Verification never throws: any wrong length, malformed encoding or
/// invalid signature is false. Signing throws <see cref="ArgumentException"/> on wrong lengths.
/// For many verifications under one key use <see cref="MLDsa87Verifier"/> / <see cref="MLDsa87KeyCache"/>.
/// </summary>
public static class MLDsa87
{
    public const int PublicKeySize = 2592;
    public const int SecretKeySize = 4896;
    public const int SignatureSize = 4627;
    public const int SeedSize = 32;
    public const int MaxContextSize = 255;
    public const int MuSize = 64;
    public const int RandomSize = 32;

    /// <summary>ML-DSA.KeyGen_internal from ξ (32 bytes).</summary>
    public static void GenerateKeyPair(ReadOnlySpan<byte> seed, Span<byte> publicKey, Span<byte> secretKey)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"An ML-DSA-87 seed is {SeedSize} bytes, got {seed.Length}.", nameof(seed));
        }

        if (publicKey.Length != PublicKeySize)
        {
            throw new ArgumentException($"An ML-DSA-87 public key is {PublicKeySize} bytes, the buffer has {publicKey.Length}.", nameof(publicKey));
        }

        if (secretKey.Length != SecretKeySize)
        {
            throw new ArgumentException($"An ML-DSA-87 secret key is {SecretKeySize} bytes, the buffer has {secretKey.Length}.", nameof(secretKey));
        }

        MLDsa87Engine.GenerateKeyPair(seed, publicKey, secretKey);
    }

    /// <summary>ML-DSA.Sign (algorithm 2): hedged with fresh randomness unless <paramref name="deterministic"/>.</summary>
    [SkipLocalsInit]
    public static int Sign(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, Span<byte> signature, bool deterministic = false)
    {
        CheckSignArguments(secretKey, context, signature);
        Span<byte> mu = stackalloc byte[MuSize];
        ReadOnlySpan<byte> header = [0, (byte)context.Length];
        MLDsa87Engine.ComputeMu(MLDsa87Engine.SecretKeyTr(secretKey), header, context, default, message, mu);
        return SignWithMu(secretKey, mu, deterministic, signature);
    }

    /// <summary>HashML-DSA.Sign (algorithm 4): signs PH(message) with the hash's OID.</summary>
    [SkipLocalsInit]
    public static int SignPreHash(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, MLDsaPreHash hash, Span<byte> signature, bool deterministic = false)
    {
        CheckSignArguments(secretKey, context, signature);
        Span<byte> mu = stackalloc byte[MuSize];
        PreHashMu(MLDsa87Engine.SecretKeyTr(secretKey), message, context, hash, mu);
        return SignWithMu(secretKey, mu, deterministic, signature);
    }

    /// <summary>ML-DSA.Sign_internal (algorithm 7) on M′ with the given 32-byte rnd (all zero = deterministic).</summary>
    [SkipLocalsInit]
    public static int SignInternal(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> messagePrime, ReadOnlySpan<byte> rnd, Span<byte> signature)
    {
        CheckSignArguments(secretKey, default, signature);
        CheckRandom(rnd);
        Span<byte> mu = stackalloc byte[MuSize];
        MLDsa87Engine.ComputeMu(MLDsa87Engine.SecretKeyTr(secretKey), default, default, default, messagePrime, mu);
        MLDsa87Engine.SignMu(secretKey, mu, rnd, signature);
        return SignatureSize;
    }

    /// <summary>Sign_internal from an externally computed μ (64 bytes, see <see cref="ComputeMu"/>).</summary>
    public static int SignExternalMu(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> mu, ReadOnlySpan<byte> rnd, Span<byte> signature)
    {
        CheckSignArguments(secretKey, default, signature);
        CheckRandom(rnd);
        if (mu.Length != MuSize)
        {
            throw new ArgumentException($"μ is {MuSize} bytes, got {mu.Length}.", nameof(mu));
        }

        MLDsa87Engine.SignMu(secretKey, mu, rnd, signature);
        return SignatureSize;
    }

    /// <summary>ML-DSA.Verify (algorithm 3). False, never an exception, for anything but a valid signature.</summary>
    [SkipLocalsInit]
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize || context.Length > MaxContextSize)
        {
            return false;
        }

        Span<byte> tr = stackalloc byte[MLDsa87Parameters.TrBytes];
        MLDsa87Engine.ComputeTr(publicKey, tr);
        return VerifyWithTr(publicKey, tr, message, context, signature);
    }

    /// <summary>
    /// <see cref="Verify"/> with tr = H(pk, 64) already computed (the batch verifier hashes four keys
    /// at once). The caller guarantees <paramref name="tr"/> belongs to <paramref name="publicKey"/>.
    /// </summary>
    [SkipLocalsInit]
    internal static bool VerifyWithTr(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> tr, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize || context.Length > MaxContextSize || tr.Length != MLDsa87Parameters.TrBytes)
        {
            return false;
        }

        Span<byte> mu = stackalloc byte[MuSize];
        ReadOnlySpan<byte> header = [0, (byte)context.Length];
        MLDsa87Engine.ComputeMu(tr, header, context, default, message, mu);
        return MLDsa87Engine.VerifyMuCold(publicKey, mu, signature);
    }

    /// <summary>HashML-DSA.Verify (algorithm 5).</summary>
    [SkipLocalsInit]
    public static bool VerifyPreHash(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, MLDsaPreHash hash, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize || context.Length > MaxContextSize || !Enum.IsDefined(hash))
        {
            return false;
        }

        Span<byte> tr = stackalloc byte[MLDsa87Parameters.TrBytes];
        Span<byte> mu = stackalloc byte[MuSize];
        MLDsa87Engine.ComputeTr(publicKey, tr);
        PreHashMu(tr, message, context, hash, mu);
        return MLDsa87Engine.VerifyMuCold(publicKey, mu, signature);
    }

    /// <summary>ML-DSA.Verify_internal (algorithm 8) on M′.</summary>
    [SkipLocalsInit]
    public static bool VerifyInternal(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> messagePrime, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
        {
            return false;
        }

        Span<byte> tr = stackalloc byte[MLDsa87Parameters.TrBytes];
        Span<byte> mu = stackalloc byte[MuSize];
        MLDsa87Engine.ComputeTr(publicKey, tr);
        MLDsa87Engine.ComputeMu(tr, default, default, default, messagePrime, mu);
        return MLDsa87Engine.VerifyMuCold(publicKey, mu, signature);
    }

    /// <summary>Verify_internal given μ = H(tr ‖ M′, 64) computed elsewhere.</summary>
    public static bool VerifyExternalMu(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> mu, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize || mu.Length != MuSize)
        {
            return false;
        }

        return MLDsa87Engine.VerifyMuCold(publicKey, mu, signature);
    }

    /// <summary>μ for the pure interface: H(H(pk, 64) ‖ 0 ‖ |ctx| ‖ ctx ‖ M, 64), for signing or verifying with external μ.</summary>
    [SkipLocalsInit]
    public static void ComputeMu(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, Span<byte> mu)
    {
        if (publicKey.Length != PublicKeySize)
        {
            throw new ArgumentException($"An ML-DSA-87 public key is {PublicKeySize} bytes, got {publicKey.Length}.", nameof(publicKey));
        }

        if (context.Length > MaxContextSize)
        {
            throw new ArgumentException($"An ML-DSA context is at most {MaxContextSize} bytes, got {context.Length}.", nameof(context));
        }

        if (mu.Length < MuSize)
        {
            throw new ArgumentException($"μ needs {MuSize} bytes.", nameof(mu));
        }

        Span<byte> tr = stackalloc byte[MLDsa87Parameters.TrBytes];
        MLDsa87Engine.ComputeTr(publicKey, tr);
        ReadOnlySpan<byte> header = [0, (byte)context.Length];
        MLDsa87Engine.ComputeMu(tr, header, context, default, message, mu);
    }

    [SkipLocalsInit]
    internal static void PreHashMu(ReadOnlySpan<byte> tr, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, MLDsaPreHash hash, Span<byte> mu)
    {
        Span<byte> oidAndDigest = stackalloc byte[MLDsaPreHashFunction.OidBytes + MLDsaPreHashFunction.MaxDigestBytes];
        MLDsaPreHashFunction.WriteOid(hash, oidAndDigest);
        var digestLength = MLDsaPreHashFunction.Compute(hash, message, oidAndDigest[MLDsaPreHashFunction.OidBytes..]);
        ReadOnlySpan<byte> header = [1, (byte)context.Length];
        MLDsa87Engine.ComputeMu(tr, header, context, default, oidAndDigest[..(MLDsaPreHashFunction.OidBytes + digestLength)], mu);
    }

    [SkipLocalsInit]
    private static int SignWithMu(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> mu, bool deterministic, Span<byte> signature)
    {
        Span<byte> rnd = stackalloc byte[RandomSize];
        if (deterministic)
        {
            rnd.Clear();
        }
        else
        {
            RandomBytes.Fill(rnd);
        }

        MLDsa87Engine.SignMu(secretKey, mu, rnd, signature);
        CryptographicOperations.ZeroMemory(rnd);
        return SignatureSize;
    }

    private static void CheckSignArguments(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> context, Span<byte> signature)
    {
        if (secretKey.Length != SecretKeySize)
        {
            throw new ArgumentException($"An ML-DSA-87 secret key is {SecretKeySize} bytes, got {secretKey.Length}.", nameof(secretKey));
        }

        if (context.Length > MaxContextSize)
        {
            throw new ArgumentException($"An ML-DSA context is at most {MaxContextSize} bytes, got {context.Length}.", nameof(context));
        }

        if (signature.Length < SignatureSize)
        {
            throw new ArgumentException($"The signature buffer needs {SignatureSize} bytes, it has {signature.Length}.", nameof(signature));
        }
    }

    private static void CheckRandom(ReadOnlySpan<byte> rnd)
    {
        if (rnd.Length != RandomSize)
        {
            throw new ArgumentException($"rnd is {RandomSize} bytes, got {rnd.Length}.", nameof(rnd));
        }
    }
}
