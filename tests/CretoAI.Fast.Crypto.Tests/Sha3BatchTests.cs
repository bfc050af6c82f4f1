using CretoAI.Fast.Core;
using Xunit;

namespace CretoAI.Fast.Crypto.Tests;

[Collection(SimdSwitchCollection.Name)]
public class Sha3BatchTests
{
    // Lengths on both sides of the 136-byte rate and of whole blocks, so lanes of one group end
    // after different numbers of permutations, plus typical signed-envelope sizes.
    private static readonly int[] Lengths = [0, 1, 135, 136, 137, 271, 272, 273, 2592, 7363, 7364, 0, 4096, 50];

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(4, false)]
    [InlineData(5, false)]
    [InlineData(14, false)]
    [InlineData(14, true)]
    public void Each_digest_is_the_platform_sha3_256_of_its_message(int count, bool scalar)
    {
        var random = new Random(count);
        var messages = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            messages[i] = new byte[Lengths[i % Lengths.Length]];
            random.NextBytes(messages[i]);
        }

        var digests = new Hash32[count + 1];
        using (SimdSwitchCollection.Force(scalar))
        {
            Sha3Batch.Hash256(messages, digests);
        }

        for (var i = 0; i < count; i++)
        {
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA3_256.HashData(messages[i])), digests[i].ToString());
        }

        Assert.Equal(Hash32.Zero, digests[count]);
    }

    [Fact]
    public void Equal_messages_in_every_lane_give_equal_digests_and_the_known_answer()
    {
        var abc = "abc"u8.ToArray();
        var digests = new Hash32[4];
        Sha3Batch.Hash256([abc, abc, abc, abc], digests);
        Assert.All(digests, d => Assert.Equal("3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532", d.ToString()));
    }

    [Fact]
    public void Slices_of_one_buffer_hash_like_copies_of_them()
    {
        var buffer = new byte[20_000];
        new Random(3).NextBytes(buffer);
        ReadOnlyMemory<byte>[] slices = [buffer.AsMemory(48, 2592), buffer.AsMemory(3000, 2592), default, buffer.AsMemory(9000, 137), buffer.AsMemory(19_999, 1)];
        var digests = new Hash32[slices.Length];

        Sha3Batch.Hash256(slices, digests);

        for (var i = 0; i < slices.Length; i++)
        {
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA3_256.HashData(slices[i].Span)), digests[i].ToString());
        }
    }

    [Fact]
    public void Too_few_digests_is_refused()
    {
        var digests = new Hash32[1];
        Assert.Throws<ArgumentException>(() => Sha3Batch.Hash256([[1], [2]], digests));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Four_shake256_instances_give_each_message_its_own_64_byte_output(int count)
    {
        if (!KeccakF1600x4.IsAccelerated)
        {
            return;
        }

        for (var start = 0; start + 4 <= Lengths.Length; start += 2)
        {
            var random = new Random(start + (100 * count));
            var messages = new byte[4][];
            for (var i = 0; i < 4; i++)
            {
                messages[i] = new byte[Lengths[start + i]];
                random.NextBytes(messages[i]);
            }

            var outputs = new byte[4 * 64];
            Sha3Batch.Shake256x64(messages[0], messages[1], messages[2], messages[3], count, outputs);
            var expected = new byte[64];
            for (var i = 0; i < 4; i++)
            {
                if (i < count)
                {
                    KeccakSponge.Shake256(messages[i], default, default, expected);
                    Assert.Equal(expected, outputs.AsSpan(i * 64, 64).ToArray());
                }
                else
                {
                    Assert.All(outputs.AsSpan(i * 64, 64).ToArray(), b => Assert.Equal(0, b));
                }
            }
        }
    }
}
