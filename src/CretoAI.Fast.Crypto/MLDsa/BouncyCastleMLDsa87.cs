using CretoAI.Fast.Core;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// ML-DSA-87 through BouncyCastle.Cryptography: the reference implementation the project measures
/// against, and the scheme the transport uses until the fast in-house one lands. Allocates per
/// call (BouncyCastle does); fine for handshakes, not for the consensus hot path.
/// </summary>
public sealed class BouncyCastleMLDsa87 : ISignatureVerifier
{
    public static BouncyCastleMLDsa87 Instance { get; } = new();

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != MLDsa87Sizes.PublicKey || signature.Length != MLDsa87Sizes.Signature || context.Length > MLDsa87Sizes.MaxContext)
        {
            return false;
        }

        try
        {
            var key = MLDsaPublicKeyParameters.FromEncoding(MLDsaParameters.ml_dsa_87, publicKey.ToArray());
            var verifier = new MLDsaSigner(MLDsaParameters.ml_dsa_87, deterministic: false);
            verifier.Init(false, new ParametersWithContext(key, context));
            verifier.BlockUpdate(message);
            return verifier.VerifySignature(signature.ToArray());
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A signer for the key pair derived from <paramref name="seed"/> (FIPS 204 ξ, 32 bytes).</summary>
    public static IMessageSigner CreateSigner(ReadOnlySpan<byte> seed) => new Signer(seed);

    /// <summary>A signer for a fresh random key pair.</summary>
    public static IMessageSigner GenerateSigner()
    {
        Span<byte> seed = stackalloc byte[MLDsa87Sizes.Seed];
        System.Security.Cryptography.RandomNumberGenerator.Fill(seed);
        try
        {
            return new Signer(seed);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(seed);
        }
    }

    private sealed class Signer : IMessageSigner
    {
        private readonly MLDsaPrivateKeyParameters _privateKey;
        private readonly SecureRandom _random = new();

        public Signer(ReadOnlySpan<byte> seed)
        {
            if (seed.Length != MLDsa87Sizes.Seed)
            {
                throw new ArgumentException($"An ML-DSA-87 seed is {MLDsa87Sizes.Seed} bytes, got {seed.Length}.", nameof(seed));
            }

            _privateKey = MLDsaPrivateKeyParameters.FromSeed(MLDsaParameters.ml_dsa_87, seed.ToArray());
            var publicKey = _privateKey.GetPublicKeyEncoded();
            PublicKey = publicKey;
            NodeId = Sha3.Hash256(publicKey);
        }

        public ReadOnlyMemory<byte> PublicKey { get; }

        public Hash32 NodeId { get; }

        public int Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, Span<byte> signature)
        {
            if (context.Length > MLDsa87Sizes.MaxContext)
            {
                throw new ArgumentException("An ML-DSA context is at most 255 bytes.", nameof(context));
            }

            if (signature.Length < MLDsa87Sizes.Signature)
            {
                throw new ArgumentException($"The signature buffer needs {MLDsa87Sizes.Signature} bytes.", nameof(signature));
            }

            var signer = new MLDsaSigner(MLDsaParameters.ml_dsa_87, deterministic: false);
            signer.Init(true, new ParametersWithContext(new ParametersWithRandom(_privateKey, _random), context));
            signer.BlockUpdate(message);
            var produced = signer.GenerateSignature();
            produced.CopyTo(signature);
            return produced.Length;
        }
    }
}
