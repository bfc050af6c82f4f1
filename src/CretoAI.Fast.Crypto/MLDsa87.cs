// THROWAWAY STAND-IN. This file only lets the key-file and `keys` CLI branch build and test against
// the public API of the fast in-house ML-DSA-87 before it lands; it is implemented with BouncyCastle
// and allocates on every call. The coordinator replaces this whole file with the real
// implementation at merge. Code elsewhere must use only the members below.
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace CretoAI.Fast.Crypto;

/// <summary>ML-DSA-87 (FIPS 204): key generation from a seed, signing and verification with a context string.</summary>
public static class MLDsa87
{
    public const int PublicKeySize = 2592, SecretKeySize = 4896, SignatureSize = 4627, SeedSize = 32, MaxContextSize = 255;

    public static void GenerateKeyPair(ReadOnlySpan<byte> seed, Span<byte> publicKey, Span<byte> secretKey)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"An ML-DSA-87 seed is {SeedSize} bytes, got {seed.Length}.", nameof(seed));
        }

        if (publicKey.Length != PublicKeySize)
        {
            throw new ArgumentException($"An ML-DSA-87 public key is {PublicKeySize} bytes, got {publicKey.Length}.", nameof(publicKey));
        }

        if (secretKey.Length != SecretKeySize)
        {
            throw new ArgumentException($"An ML-DSA-87 secret key is {SecretKeySize} bytes, got {secretKey.Length}.", nameof(secretKey));
        }

        var key = MLDsaPrivateKeyParameters.FromSeed(MLDsaParameters.ml_dsa_87, seed.ToArray());
        key.GetPublicKeyEncoded().CopyTo(publicKey);
        key.GetEncoded().CopyTo(secretKey);
    }

    public static int Sign(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, Span<byte> signature, bool deterministic = false)
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
            throw new ArgumentException($"The signature buffer needs {SignatureSize} bytes, got {signature.Length}.", nameof(signature));
        }

        var key = MLDsaPrivateKeyParameters.FromEncoding(MLDsaParameters.ml_dsa_87, secretKey.ToArray());
        var signer = new MLDsaSigner(MLDsaParameters.ml_dsa_87, deterministic);
        var parameters = deterministic ? (Org.BouncyCastle.Crypto.ICipherParameters)key : new ParametersWithRandom(key, new SecureRandom());
        signer.Init(true, new ParametersWithContext(parameters, context));
        signer.BlockUpdate(message);
        var produced = signer.GenerateSignature();
        produced.CopyTo(signature);
        return SignatureSize;
    }

    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature) =>
        BouncyCastleMLDsa87.Instance.Verify(publicKey, message, context, signature);
}
