using Xunit;

namespace CretoAI.Fast.Crypto.Tests;

public class Sha3Tests
{
    // FIPS 202 example values (NIST "SHA3-256" examples with known messages).
    [Theory]
    [InlineData("", "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a")]
    [InlineData("abc", "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532")]
    public void Sha3_256_matches_known_answers(string input, string expected)
    {
        Assert.Equal(expected, Sha3.Hash256(System.Text.Encoding.ASCII.GetBytes(input)).ToString());

        Span<byte> digest = stackalloc byte[32];
        Sha3.Hash256(System.Text.Encoding.ASCII.GetBytes(input), digest);
        Assert.Equal(expected, Convert.ToHexStringLower(digest));
    }

    // Lengths around the 136-byte rate, where padding moves into an extra block.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(135)]
    [InlineData(136)]
    [InlineData(137)]
    [InlineData(271)]
    [InlineData(272)]
    [InlineData(2592)]
    [InlineData(100_000)]
    public void Sha3_256_agrees_with_the_platform_and_incremental_hashing_agrees_with_one_shot(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        var expected = System.Security.Cryptography.SHA3_256.HashData(data);

        Assert.Equal(Convert.ToHexStringLower(expected), Sha3.Hash256(data).ToString());
        foreach (var cut in new[] { 0, length / 3, length / 2, length })
        {
            var hasher = Sha3.CreateHasher();
            hasher.Append(data.AsSpan(0, cut));
            hasher.Append(data.AsSpan(cut, (length - cut) / 2));
            hasher.Append(data.AsSpan(cut + ((length - cut) / 2)));
            Assert.Equal(Convert.ToHexStringLower(expected), hasher.Finish().ToString());
        }
    }

    [Fact]
    public void A_hasher_is_finished_only_once_and_a_default_one_is_refused()
    {
        var hasher = Sha3.CreateHasher();
        hasher.Append("abc"u8);
        Assert.Equal("3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532", hasher.Finish().ToString());
        Assert.Throws<InvalidOperationException>(() => hasher.Finish());
        Assert.Throws<InvalidOperationException>(() => hasher.Append("x"u8));

        var unusable = default(Sha3Hasher);
        Assert.Throws<InvalidOperationException>(() => unusable.Append("x"u8));
    }
}
