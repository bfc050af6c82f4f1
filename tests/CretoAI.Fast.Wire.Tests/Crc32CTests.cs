using CsCheck;
using Xunit;

namespace CretoAI.Fast.Wire.Tests;

public class Crc32CTests
{
    [Fact]
    public void Check_value_of_123456789_is_E3069283()
        => Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));

    // RFC 3720 (iSCSI), appendix B.4, CRC examples.
    [Fact]
    public void Rfc3720_32_zero_bytes() => Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));

    [Fact]
    public void Rfc3720_32_ff_bytes() => Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));

    [Fact]
    public void Rfc3720_32_ascending_bytes() => Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));

    [Fact]
    public void Rfc3720_32_descending_bytes() => Assert.Equal(0x113FDB5Cu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray()));

    [Fact]
    public void Empty_input_gives_zero() => Assert.Equal(0u, Crc32C.Compute([]));

    [Fact]
    public void Incremental_and_sequence_forms_equal_one_shot() =>
        Gen.Byte.Array[0, 3000].Select(Gen.Int[0, 3000], Gen.Int[0, 3000]).Sample((data, a, b) =>
        {
            var cut1 = Math.Min(a, data.Length);
            var cut2 = Math.Max(cut1, Math.Min(b, data.Length));
            var expected = Crc32C.Compute(data);

            var state = Crc32C.Begin();
            state = Crc32C.Append(state, data.AsSpan(0, cut1));
            state = Crc32C.Append(state, data.AsSpan(cut1, cut2 - cut1));
            state = Crc32C.Append(state, data.AsSpan(cut2));
            Assert.Equal(expected, Crc32C.End(state));

            var sequence = SegmentedSequence.SplitAt(data, cut1, cut2);
            Assert.Equal(expected, Crc32C.End(Crc32C.Append(Crc32C.Begin(), sequence)));
        });
}
