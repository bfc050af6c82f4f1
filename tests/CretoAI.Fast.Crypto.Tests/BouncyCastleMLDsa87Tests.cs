using System.Text.Json;
using Xunit;

namespace CretoAI.Fast.Crypto.Tests;

public class BouncyCastleMLDsa87Tests
{
    private static readonly IMessageSigner Signer = BouncyCastleMLDsa87.CreateSigner(new byte[32]);

    [Fact]
    public void Key_generation_matches_every_acvp_keygen_vector()
    {
        using var document = TestVectors.OpenMLDsa87("keyGen.json.gz");
        var checkedCount = 0;
        foreach (var group in document.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            Assert.Equal("ML-DSA-87", group.GetProperty("parameterSet").GetString());
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var seed = Convert.FromHexString(test.GetProperty("seed").GetString()!);
                var expected = Convert.FromHexString(test.GetProperty("pk").GetString()!);
                var signer = BouncyCastleMLDsa87.CreateSigner(seed);
                Assert.Equal(expected, signer.PublicKey.ToArray());
                Assert.Equal(Sha3.Hash256(expected), signer.NodeId);
                checkedCount++;
            }
        }

        Assert.Equal(25, checkedCount);
    }

    [Fact]
    public void Verifies_every_acvp_external_pure_sigver_vector_with_the_expected_verdict()
    {
        using var document = TestVectors.OpenMLDsa87("sigVer.json.gz");
        var checkedCount = 0;
        foreach (var group in document.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            if (group.GetProperty("signatureInterface").GetString() != "external" || group.GetProperty("preHash").GetString() != "pure")
            {
                continue;
            }

            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var verdict = BouncyCastleMLDsa87.Instance.Verify(
                    Hex(test, "pk"), Hex(test, "message"), Hex(test, "context"), Hex(test, "signature"));
                Assert.Equal(test.GetProperty("testPassed").GetBoolean(), verdict);
                checkedCount++;
            }
        }

        Assert.Equal(15, checkedCount);
    }

    [Fact]
    public void Sign_then_verify_accepts_and_any_change_rejects()
    {
        var message = "transfer 10 to agent 7"u8.ToArray();
        var context = "cretoai-fast/test"u8.ToArray();
        var signature = new byte[MLDsa87Sizes.Signature];
        Assert.Equal(MLDsa87Sizes.Signature, Signer.Sign(message, context, signature));
        var key = Signer.PublicKey.ToArray();
        var verifier = BouncyCastleMLDsa87.Instance;

        Assert.True(verifier.Verify(key, message, context, signature));
        Assert.False(verifier.Verify(key, message, "cretoai-fast/other"u8, signature));
        Assert.False(verifier.Verify(key, message, [], signature));

        var flippedMessage = (byte[])message.Clone();
        flippedMessage[3] ^= 0x01;
        Assert.False(verifier.Verify(key, flippedMessage, context, signature));

        var flippedSignature = (byte[])signature.Clone();
        flippedSignature[100] ^= 0x80;
        Assert.False(verifier.Verify(key, message, context, flippedSignature));

        var flippedKey = (byte[])key.Clone();
        flippedKey[40] ^= 0x04;
        Assert.False(verifier.Verify(flippedKey, message, context, signature));
    }

    [Fact]
    public void Wrong_lengths_return_false_and_never_throw()
    {
        var key = Signer.PublicKey.ToArray();
        var signature = new byte[MLDsa87Sizes.Signature];
        Signer.Sign([1, 2, 3], [], signature);
        var verifier = BouncyCastleMLDsa87.Instance;

        Assert.False(verifier.Verify(key.AsSpan(1), [1, 2, 3], [], signature));
        Assert.False(verifier.Verify([], [1, 2, 3], [], signature));
        Assert.False(verifier.Verify(key, [1, 2, 3], [], signature.AsSpan(1)));
        Assert.False(verifier.Verify(key, [1, 2, 3], [], [.. signature, 0]));
        Assert.False(verifier.Verify(key, [1, 2, 3], new byte[256], signature));
    }

    [Fact]
    public void Signer_rejects_a_seed_of_the_wrong_length() =>
        Assert.Throws<ArgumentException>(() => BouncyCastleMLDsa87.CreateSigner(new byte[31]));

    private static byte[] Hex(JsonElement test, string name) => Convert.FromHexString(test.GetProperty(name).GetString()!);
}
