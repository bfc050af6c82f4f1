using Xunit;

namespace CretoAI.Fast.Crypto.Tests;

public class RandomBytesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    [InlineData(257)]
    [InlineData(1 << 20)]
    public void Fills_every_byte_with_fresh_values(int length)
    {
        var a = RandomBytes.Create(length);
        var b = RandomBytes.Create(length);
        Assert.Equal(length, a.Length);

        // Equal draws, or a draw of only zeros, are a 2^-8 chance for one byte and impossible in practice beyond it.
        if (length >= 32)
        {
            Assert.False(a.AsSpan().SequenceEqual(b));
            Assert.Contains(a, x => x != 0);

            // Every part is filled, not only the start (getrandom may return fewer bytes than asked).
            Assert.Contains(a.AsSpan(length - 32).ToArray(), x => x != 0);
        }
    }

    [Fact]
    public void An_empty_request_is_fine()
    {
        RandomBytes.Fill([]);
        Assert.Empty(RandomBytes.Create(0));
    }
}
