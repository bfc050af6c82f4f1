using CsCheck;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Xunit;

namespace CretoAI.Fast.Crypto.Tests;

/// <summary>Our ML-DSA-87 against BouncyCastle on random keys, messages and contexts.</summary>
public class MLDsa87CrossCheckTests
{
    private static readonly BouncyCastleMLDsa87 Reference = BouncyCastleMLDsa87.Instance;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Ours_and_bouncycastle_agree_on_keys_and_accept_each_others_signatures(int seedValue)
    {
        var random = new Random(seedValue);
        var seed = Bytes(random, 32);
        var message = Bytes(random, random.Next(0, 3000));
        var context = Bytes(random, random.Next(0, 256));
        var publicKey = new byte[MLDsa87.PublicKeySize];
        var secretKey = new byte[MLDsa87.SecretKeySize];
        MLDsa87.GenerateKeyPair(seed, publicKey, secretKey);

        var bcPrivate = MLDsaPrivateKeyParameters.FromSeed(MLDsaParameters.ml_dsa_87, seed);
        Assert.Equal(bcPrivate.GetPublicKeyEncoded(), publicKey);
        Assert.Equal(bcPrivate.GetEncoded(), secretKey);

        // Ours sign -> BC verifies (hedged and deterministic).
        var ours = new byte[MLDsa87.SignatureSize];
        MLDsa87.Sign(secretKey, message, context, ours);
        Assert.True(Reference.Verify(publicKey, message, context, ours));
        MLDsa87.Sign(secretKey, message, context, ours, deterministic: true);
        Assert.True(Reference.Verify(publicKey, message, context, ours));

        // BC sign (deterministic) -> ours verifies and is byte-identical.
        var signer = new MLDsaSigner(MLDsaParameters.ml_dsa_87, deterministic: true);
        signer.Init(true, new ParametersWithContext(bcPrivate, context));
        signer.BlockUpdate(message);
        var theirs = signer.GenerateSignature();
        Assert.Equal(theirs, ours);
        Assert.True(MLDsa87.Verify(publicKey, message, context, theirs));

        // BC hedged -> ours verifies, also through the cache.
        var hedged = new MLDsaSigner(MLDsaParameters.ml_dsa_87, deterministic: false);
        hedged.Init(true, new ParametersWithContext(new ParametersWithRandom(bcPrivate, new SecureRandom()), context));
        hedged.BlockUpdate(message);
        var theirsHedged = hedged.GenerateSignature();
        Assert.True(new MLDsa87KeyCache().Verify(publicKey, message, context, theirsHedged));

        // Any single-bit flip of signature, key, message or context: both reject.
        for (var trial = 0; trial < 4; trial++)
        {
            var badSignature = Flip(ours, random);
            Assert.False(MLDsa87.Verify(publicKey, message, context, badSignature));
            Assert.False(Reference.Verify(publicKey, message, context, badSignature));
            var badKey = Flip(publicKey, random);
            Assert.False(MLDsa87.Verify(badKey, message, context, ours));
            Assert.False(Reference.Verify(badKey, message, context, ours));
            if (message.Length > 0)
            {
                var badMessage = Flip(message, random);
                Assert.False(MLDsa87.Verify(publicKey, badMessage, context, ours));
                Assert.False(Reference.Verify(publicKey, badMessage, context, ours));
            }

            if (context.Length > 0)
            {
                var badContext = Flip(context, random);
                Assert.False(MLDsa87.Verify(publicKey, message, badContext, ours));
                Assert.False(Reference.Verify(publicKey, message, badContext, ours));
            }
        }
    }

    [Fact]
    public void Hash_ml_dsa_signatures_verify_with_bouncycastle_for_sha2_512()
    {
        var seed = Bytes(new Random(9), 32);
        var publicKey = new byte[MLDsa87.PublicKeySize];
        var secretKey = new byte[MLDsa87.SecretKeySize];
        MLDsa87.GenerateKeyPair(seed, publicKey, secretKey);
        var message = "pre-hashed payload"u8.ToArray();
        var signature = new byte[MLDsa87.SignatureSize];
        MLDsa87.SignPreHash(secretKey, message, "ctx"u8, MLDsaPreHash.Sha2_512, signature);

        var verifier = new HashMLDsaSigner(MLDsaParameters.ml_dsa_87_with_sha512, deterministic: false);
        verifier.Init(false, new ParametersWithContext(MLDsaPublicKeyParameters.FromEncoding(MLDsaParameters.ml_dsa_87_with_sha512, publicKey), "ctx"u8.ToArray()));
        verifier.BlockUpdate(message);
        Assert.True(verifier.VerifySignature(signature));
        Assert.True(MLDsa87.VerifyPreHash(publicKey, message, "ctx"u8, MLDsaPreHash.Sha2_512, signature));
        Assert.False(MLDsa87.VerifyPreHash(publicKey, message, "ctx"u8, MLDsaPreHash.Sha3_512, signature));
        Assert.False(MLDsa87.Verify(publicKey, message, "ctx"u8, signature));
    }

    [Fact]
    public void Every_pre_hash_function_round_trips_and_is_bound_to_its_choice()
    {
        var publicKey = new byte[MLDsa87.PublicKeySize];
        var secretKey = new byte[MLDsa87.SecretKeySize];
        MLDsa87.GenerateKeyPair(new byte[32], publicKey, secretKey);
        var signature = new byte[MLDsa87.SignatureSize];
        var verifier = new MLDsa87Verifier(publicKey);
        foreach (var hash in Enum.GetValues<MLDsaPreHash>())
        {
            MLDsa87.SignPreHash(secretKey, "m"u8, default, hash, signature, deterministic: true);
            Assert.True(verifier.VerifyPreHash("m"u8, default, hash, signature), hash.ToString());
            var other = (MLDsaPreHash)(((int)hash + 1) % 12);
            Assert.False(verifier.VerifyPreHash("m"u8, default, other, signature), hash.ToString());
        }
    }

    [Fact]
    public void External_mu_signing_and_verification_match_the_pure_interface()
    {
        var publicKey = new byte[MLDsa87.PublicKeySize];
        var secretKey = new byte[MLDsa87.SecretKeySize];
        MLDsa87.GenerateKeyPair(Bytes(new Random(4), 32), publicKey, secretKey);
        var mu = new byte[MLDsa87.MuSize];
        MLDsa87.ComputeMu(publicKey, "msg"u8, "ctx"u8, mu);
        var viaMu = new byte[MLDsa87.SignatureSize];
        var direct = new byte[MLDsa87.SignatureSize];
        MLDsa87.SignExternalMu(secretKey, mu, new byte[32], viaMu);
        MLDsa87.Sign(secretKey, "msg"u8, "ctx"u8, direct, deterministic: true);
        Assert.Equal(direct, viaMu);
        Assert.True(MLDsa87.VerifyExternalMu(publicKey, mu, direct));
        Assert.True(MLDsa87.Verify(publicKey, "msg"u8, "ctx"u8, viaMu));
    }

    [Fact]
    public void Malformed_hint_encodings_are_rejected_without_throwing()
    {
        var publicKey = new byte[MLDsa87.PublicKeySize];
        var secretKey = new byte[MLDsa87.SecretKeySize];
        MLDsa87.GenerateKeyPair(new byte[32], publicKey, secretKey);
        var signature = new byte[MLDsa87.SignatureSize];
        MLDsa87.Sign(secretKey, "m"u8, default, signature, deterministic: true);
        Assert.True(MLDsa87.Verify(publicKey, "m"u8, default, signature));
        const int hints = MLDsa87.SignatureSize - 83;

        var countAboveOmega = (byte[])signature.Clone();
        countAboveOmega[^1] = 76;
        Assert.False(MLDsa87.Verify(publicKey, "m"u8, default, countAboveOmega));

        var decreasingCounts = (byte[])signature.Clone();
        decreasingCounts[hints + 75 + 1] = 0;
        decreasingCounts[hints + 75] = 5;
        Assert.False(MLDsa87.Verify(publicKey, "m"u8, default, decreasingCounts));

        var total = signature[^1];
        if (total >= 2)
        {
            var unordered = (byte[])signature.Clone();
            (unordered[hints], unordered[hints + 1]) = (unordered[hints + 1], unordered[hints]);
            Assert.False(MLDsa87.Verify(publicKey, "m"u8, default, unordered));
        }

        if (total < 75)
        {
            var dirtyPadding = (byte[])signature.Clone();
            dirtyPadding[hints + 74] = 1;
            Assert.False(MLDsa87.Verify(publicKey, "m"u8, default, dirtyPadding));
        }
    }

    [Fact]
    public void Verification_returns_false_for_wrong_lengths_and_signing_throws_argument_exceptions()
    {
        var publicKey = new byte[MLDsa87.PublicKeySize];
        var secretKey = new byte[MLDsa87.SecretKeySize];
        MLDsa87.GenerateKeyPair(new byte[32], publicKey, secretKey);
        var signature = new byte[MLDsa87.SignatureSize];
        MLDsa87.Sign(secretKey, [1, 2, 3], [], signature);

        Assert.False(MLDsa87.Verify(publicKey.AsSpan(1), [1, 2, 3], [], signature));
        Assert.False(MLDsa87.Verify([], [1, 2, 3], [], signature));
        Assert.False(MLDsa87.Verify(publicKey, [1, 2, 3], [], signature.AsSpan(1)));
        Assert.False(MLDsa87.Verify(publicKey, [1, 2, 3], [], [.. signature, 0]));
        Assert.False(MLDsa87.Verify(publicKey, [1, 2, 3], new byte[256], signature));
        Assert.False(MLDsa87.VerifyExternalMu(publicKey, new byte[63], signature));
        Assert.False(new MLDsa87KeyCache().Verify(publicKey.AsSpan(2), [1, 2, 3], [], signature));

        Assert.Throws<ArgumentException>(() => MLDsa87.Sign(secretKey.AsSpan(1), [1], [], signature));
        Assert.Throws<ArgumentException>(() => MLDsa87.Sign(secretKey, [1], new byte[256], signature));
        Assert.Throws<ArgumentException>(() => MLDsa87.Sign(secretKey, [1], [], new byte[100]));
        Assert.Throws<ArgumentException>(() => MLDsa87.GenerateKeyPair(new byte[31], publicKey, secretKey));
        Assert.Throws<ArgumentException>(() => MLDsa87.SignInternal(secretKey, [1], new byte[31], signature));
        Assert.Throws<ArgumentException>(() => new MLDsa87Verifier(new byte[10]));
    }

    [Fact]
    public void Random_bytes_as_signature_never_throw_and_never_verify()
    {
        var publicKey = new byte[MLDsa87.PublicKeySize];
        var secretKey = new byte[MLDsa87.SecretKeySize];
        MLDsa87.GenerateKeyPair(new byte[32], publicKey, secretKey);
        var verifier = new MLDsa87Verifier(publicKey);
        Gen.Byte.Array[MLDsa87.SignatureSize].Sample(
            signature => !MLDsa87.Verify(publicKey, "m"u8, default, signature) && !verifier.Verify("m"u8, default, signature),
            iter: 40);
    }

    [Fact]
    public void The_fast_seams_interoperate_with_the_bouncycastle_ones()
    {
        var seed = Bytes(new Random(5), 32);
        var fast = new MLDsa87Signer(seed);
        var reference = BouncyCastleMLDsa87.CreateSigner(seed);
        Assert.Equal(reference.PublicKey.ToArray(), fast.PublicKey.ToArray());
        Assert.Equal(reference.NodeId, fast.NodeId);

        var signature = new byte[MLDsa87.SignatureSize];
        Assert.Equal(MLDsa87.SignatureSize, fast.Sign("hello"u8, "ctx"u8, signature));
        Assert.True(Reference.Verify(fast.PublicKey.Span, "hello"u8, "ctx"u8, signature));
        reference.Sign("hello"u8, "ctx"u8, signature);
        ISignatureVerifier verifier = new MLDsa87SignatureVerifier(new MLDsa87KeyCache());
        Assert.True(verifier.Verify(fast.PublicKey.Span, "hello"u8, "ctx"u8, signature));
        Assert.False(verifier.Verify(fast.PublicKey.Span, "hellO"u8, "ctx"u8, signature));
        Assert.NotEqual(fast.PublicKey.ToArray(), MLDsa87Signer.Generate().PublicKey.ToArray());
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Flip(byte[] source, Random random)
    {
        var copy = (byte[])source.Clone();
        copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }
}
