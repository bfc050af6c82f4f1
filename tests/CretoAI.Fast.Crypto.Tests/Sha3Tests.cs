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
}
