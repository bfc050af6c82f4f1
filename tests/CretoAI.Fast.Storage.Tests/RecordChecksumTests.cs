using CsCheck;

namespace CretoAI.Fast.Storage.Tests;

public sealed class RecordChecksumTests
{
    [Fact]
    public void Known_answer()
    {
        // RFC 3720 / iSCSI check value.
        Assert.Equal(0xE3069283u, RecordChecksum.Compute("123456789"u8));
        Assert.Equal(0u, RecordChecksum.Compute([]));
    }

    [Fact]
    public void Hardware_path_agrees_with_a_bitwise_reference()
    {
        Gen.Byte.Array[0, 100].Sample(bytes => RecordChecksum.Compute(bytes) == Bitwise(bytes));
    }

    [Fact]
    public void Two_part_form_equals_the_concatenation()
    {
        Gen.Select(Gen.Byte.Array[0, 40], Gen.Byte.Array[0, 40]).Sample((a, b) => RecordChecksum.Compute(a, b) == RecordChecksum.Compute([.. a, .. b]));
    }

    private static uint Bitwise(byte[] bytes)
    {
        var crc = 0xFFFF_FFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78u : crc >> 1;
            }
        }

        return ~crc;
    }
}
