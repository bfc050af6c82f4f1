namespace CretoAI.Fast.Storage.Tests;

public sealed class ShardRouterTests
{
    [Fact]
    public void Routing_is_pinned_because_it_is_part_of_the_on_disk_format()
    {
        var zeros = new byte[32];
        var counting = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        Assert.Equal(Expected(zeros), ShardRouter.Hash(zeros));
        Assert.Equal(Expected(counting), ShardRouter.Hash(counting));
        Assert.Equal(Expected("abc"u8.ToArray()), ShardRouter.Hash("abc"u8));
    }

    [Fact]
    public void Shard_is_in_range_and_stable()
    {
        for (var shards = 1; shards <= 9; shards++)
        {
            for (var i = 0; i < 200; i++)
            {
                var key = TestData.Key(i);
                var shard = ShardRouter.ShardOf(key, shards);
                Assert.InRange(shard, 0, shards - 1);
                Assert.Equal(shard, ShardRouter.ShardOf(key, shards));
            }
        }
    }

    [Fact]
    public void Similar_keys_spread_evenly()
    {
        var counts = new int[8];
        var key = new byte[32];
        for (var i = 0; i < 8000; i++)
        {
            key[31] = (byte)i;
            key[30] = (byte)(i >> 8);
            counts[ShardRouter.ShardOf(key, 8)]++;
        }

        Assert.All(counts, n => Assert.InRange(n, 800, 1200));
    }

    /// <summary>Independent re-statement of the documented mix (little-endian words, tail packed high-to-low).</summary>
    private static ulong Expected(byte[] key)
    {
        const ulong M = 0x9E37_79B9_7F4A_7C15UL;
        static ulong Mix(ulong x)
        {
            x *= M;
            x ^= x >> 29;
            x *= 0xBF58_476D_1CE4_E5B9UL;
            return x ^ (x >> 32);
        }

        var h = (ulong)key.Length * M;
        var offset = 0;
        for (; offset + 8 <= key.Length; offset += 8)
        {
            h = Mix(h ^ BitConverter.ToUInt64(key, offset));
        }

        if (offset < key.Length)
        {
            ulong tail = 0;
            for (var i = offset; i < key.Length; i++)
            {
                tail |= (ulong)key[i] << (8 * (i - offset));
            }

            h = Mix(h ^ tail);
        }

        return h;
    }
}
