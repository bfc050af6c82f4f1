using System.Buffers.Binary;

namespace CretoAI.Fast.Storage.Tests;

/// <summary>Deterministic keys and values so a failure reproduces from its numbers.</summary>
internal static class TestData
{
    public static byte[] Key(long i, int size = 32)
    {
        var key = new byte[size];
        BinaryPrimitives.WriteInt64LittleEndian(key, i);
        BinaryPrimitives.WriteInt64LittleEndian(key.AsSpan(size - 8), ~i);
        return key;
    }

    public static byte[] Value(long i, int length)
    {
        var value = new byte[length];
        var x = (ulong)i * 0x9E3779B97F4A7C15UL + 1;
        for (var j = 0; j < length; j++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            value[j] = (byte)x;
        }

        return value;
    }

    public static ShardedStoreOptions SmallStore(int shards = 2, long memory = 1 << 20) => new()
    {
        ShardCount = shards,
        MemoryBudgetPerShardBytes = memory,
        HashBucketsPerShard = 1 << 10,
        MaxValueSize = 1024,
    };
}
