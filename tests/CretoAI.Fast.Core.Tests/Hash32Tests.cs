using CsCheck;
using Xunit;

namespace CretoAI.Fast.Core.Tests;

public class Hash32Tests
{
    [Fact]
    public void Bytes_round_trip_and_hex_is_lower_case_in_byte_order() =>
        Gen.Byte.Array[32].Sample(bytes =>
        {
            var hash = new Hash32(bytes);
            Assert.Equal(bytes, hash.ToArray());
            Assert.Equal(Convert.ToHexStringLower(bytes), hash.ToString());
            Assert.Equal(hash, Hash32.Parse(hash.ToString()));
            Assert.Equal(hash, Hash32.Parse(hash.ToString().ToUpperInvariant()));
            Assert.Equal(hash.ToString()[..16], hash.ToShortString());
        });

    [Fact]
    public void Equality_is_by_value() =>
        Gen.Byte.Array[32].Select(Gen.Int[0, 31]).Sample((bytes, index) =>
        {
            var a = new Hash32(bytes);
            var b = new Hash32((byte[])bytes.Clone());
            Assert.True(a == b);
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
            bytes[index] ^= 1;
            var c = new Hash32(bytes);
            Assert.True(a != c);
            Assert.False(a.Equals((object)c));
        });

    [Fact]
    public void Zero_is_default()
    {
        Assert.True(Hash32.Zero.IsZero);
        Assert.True(default(Hash32).IsZero);
        Assert.False(new Hash32([.. new byte[31], 1]).IsZero);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("000000000000000000000000000000000000000000000000000000000000000000")]
    public void Bad_hex_is_refused(string? text)
    {
        Assert.False(Hash32.TryParse(text, out _));
        if (text is not null)
        {
            Assert.Throws<FormatException>(() => Hash32.Parse(text));
        }
    }

    [Fact]
    public void Wrong_length_bytes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new Hash32(new byte[31]));
        Assert.Throws<ArgumentException>(() => new Hash32(new byte[33]));
        Assert.Throws<ArgumentException>(() => Hash32.Zero.CopyTo(new byte[31]));
    }

    [Fact]
    public void Invalid_setting_names_the_setting()
    {
        var error = new InvalidSettingException("MaxConnections", "must be at least 1 (got 0).");
        Assert.Equal("MaxConnections", error.Setting);
        Assert.Contains("MaxConnections", error.Message, StringComparison.Ordinal);
    }
}
