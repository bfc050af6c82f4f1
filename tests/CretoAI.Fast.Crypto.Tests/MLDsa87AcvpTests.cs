using System.Text.Json;
using Xunit;

namespace CretoAI.Fast.Crypto.Tests;

/// <summary>Every ML-DSA-87 ACVP vector (NIST, ../shared/testvectors/mldsa87) through our implementation, in every mode.</summary>
[Collection(SimdSwitchCollection.Name)]
public class MLDsa87AcvpTests
{
    public static TheoryData<bool> Paths => new() { false, true };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Key_generation_matches_every_keygen_vector_byte_for_byte(bool scalar)
    {
        using var mode = SimdSwitchCollection.Force(scalar);
        using var document = TestVectors.OpenMLDsa87("keyGen.json.gz");
        var count = 0;
        var publicKey = new byte[MLDsa87.PublicKeySize];
        var secretKey = new byte[MLDsa87.SecretKeySize];
        foreach (var test in Tests(document))
        {
            MLDsa87.GenerateKeyPair(Hex(test, "seed"), publicKey, secretKey);
            Assert.Equal(Hex(test, "pk"), publicKey);
            Assert.Equal(Hex(test, "sk"), secretKey);
            count++;
        }

        Assert.Equal(25, count);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Sign_internal_matches_every_deterministic_and_hedged_siggen_vector(bool scalar)
    {
        using var mode = SimdSwitchCollection.Force(scalar);
        using var document = TestVectors.OpenMLDsa87("sigGen.json.gz");
        var (deterministic, hedged) = (0, 0);
        var signature = new byte[MLDsa87.SignatureSize];
        foreach (var group in document.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            Assert.Equal("internal", group.GetProperty("signatureInterface").GetString());
            var isDeterministic = group.GetProperty("deterministic").GetBoolean();
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var rnd = isDeterministic ? new byte[32] : Hex(test, "rnd");
                Assert.Equal(MLDsa87.SignatureSize, MLDsa87.SignInternal(Hex(test, "sk"), Hex(test, "message"), rnd, signature));
                Assert.Equal(Hex(test, "signature"), signature);
                if (isDeterministic)
                {
                    deterministic++;
                }
                else
                {
                    hedged++;
                }
            }
        }

        Assert.Equal((10, 10), (deterministic, hedged));
    }

    public static TheoryData<bool, bool> Modes => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [Theory]
    [MemberData(nameof(Modes))]
    public void Every_sigver_vector_gets_the_expected_verdict_in_all_four_groups(bool scalar, bool cached)
    {
        using var mode = SimdSwitchCollection.Force(scalar);
        using var document = TestVectors.OpenMLDsa87("sigVer.json.gz");
        var perGroup = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var group in document.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            var kind = group.GetProperty("signatureInterface").GetString() == "external"
                ? group.GetProperty("preHash").GetString()!
                : group.GetProperty("externalMu").GetBoolean() ? "mu" : "internal";
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var pk = Hex(test, "pk");
                var signature = Hex(test, "signature");
                var verifier = cached ? new MLDsa87Verifier(pk) : null;
                var verdict = kind switch
                {
                    "pure" => cached
                        ? verifier!.Verify(Hex(test, "message"), Hex(test, "context"), signature)
                        : MLDsa87.Verify(pk, Hex(test, "message"), Hex(test, "context"), signature),
                    "preHash" => cached
                        ? verifier!.VerifyPreHash(Hex(test, "message"), Hex(test, "context"), ParseHash(test.GetProperty("hashAlg").GetString()!), signature)
                        : MLDsa87.VerifyPreHash(pk, Hex(test, "message"), Hex(test, "context"), ParseHash(test.GetProperty("hashAlg").GetString()!), signature),
                    "mu" => cached
                        ? verifier!.VerifyExternalMu(Hex(test, "mu"), signature)
                        : MLDsa87.VerifyExternalMu(pk, Hex(test, "mu"), signature),
                    _ => cached
                        ? verifier!.VerifyInternal(Hex(test, "message"), signature)
                        : MLDsa87.VerifyInternal(pk, Hex(test, "message"), signature),
                };
                Assert.True(test.GetProperty("testPassed").GetBoolean() == verdict, $"{kind} tcId {test.GetProperty("tcId").GetInt32()}");
                perGroup[kind] = perGroup.GetValueOrDefault(kind) + 1;
            }
        }

        Assert.Equal(15, perGroup["pure"]);
        Assert.Equal(15, perGroup["preHash"]);
        Assert.Equal(15, perGroup["mu"]);
        Assert.Equal(15, perGroup["internal"]);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Every_internal_reasons_vector_gets_the_expected_verdict(bool scalar, bool cached)
    {
        using var mode = SimdSwitchCollection.Force(scalar);
        using var document = TestVectors.OpenMLDsa87("sigVer-internal-reasons.json.gz");
        var count = 0;
        var reasons = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in document.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            var pk = Hex(group, "pk");
            var verifier = new MLDsa87Verifier(pk);
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var verdict = cached
                    ? verifier.VerifyInternal(Hex(test, "message"), Hex(test, "signature"))
                    : MLDsa87.VerifyInternal(pk, Hex(test, "message"), Hex(test, "signature"));
                Assert.True(test.GetProperty("testPassed").GetBoolean() == verdict, test.GetProperty("reason").GetString());
                reasons.Add(test.GetProperty("reason").GetString()!);
                count++;
            }
        }

        Assert.Equal(15, count);
        Assert.Equal(5, reasons.Count);
    }

    [Fact]
    public void The_group_level_secret_key_signs_what_its_public_key_verifies()
    {
        using var document = TestVectors.OpenMLDsa87("sigVer-internal-reasons.json.gz");
        var group = document.RootElement.GetProperty("testGroups")[0];
        var signature = new byte[MLDsa87.SignatureSize];
        MLDsa87.Sign(Hex(group, "sk"), "m"u8, "c"u8, signature);
        Assert.True(MLDsa87.Verify(Hex(group, "pk"), "m"u8, "c"u8, signature));
    }

    internal static MLDsaPreHash ParseHash(string name) => name switch
    {
        "SHA2-224" => MLDsaPreHash.Sha2_224,
        "SHA2-256" => MLDsaPreHash.Sha2_256,
        "SHA2-384" => MLDsaPreHash.Sha2_384,
        "SHA2-512" => MLDsaPreHash.Sha2_512,
        "SHA2-512/224" => MLDsaPreHash.Sha2_512_224,
        "SHA2-512/256" => MLDsaPreHash.Sha2_512_256,
        "SHA3-224" => MLDsaPreHash.Sha3_224,
        "SHA3-256" => MLDsaPreHash.Sha3_256,
        "SHA3-384" => MLDsaPreHash.Sha3_384,
        "SHA3-512" => MLDsaPreHash.Sha3_512,
        "SHAKE-128" => MLDsaPreHash.Shake128,
        "SHAKE-256" => MLDsaPreHash.Shake256,
        _ => throw new ArgumentException("Unknown hash " + name, nameof(name)),
    };

    private static IEnumerable<JsonElement> Tests(JsonDocument document)
    {
        foreach (var group in document.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            Assert.Equal("ML-DSA-87", group.GetProperty("parameterSet").GetString());
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                yield return test;
            }
        }
    }

    internal static byte[] Hex(JsonElement element, string name) => Convert.FromHexString(element.GetProperty(name).GetString()!);
}
