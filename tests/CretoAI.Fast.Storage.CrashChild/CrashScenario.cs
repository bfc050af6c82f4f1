using System.Buffers.Binary;

namespace CretoAI.Fast.Storage.CrashChild;

/// <summary>
/// What the crash child writes, shared (compiled into both) with the test that checks it. Record n is a
/// block whose payload is fully determined by n; applying it sets key (n mod <see cref="KeySpace"/>) to a
/// value derived from n and the progress key to n + 1. So after any crash the expected WAL and KV contents
/// follow from a single number.
/// </summary>
public static class CrashScenario
{
    /// <summary>Distinct state keys; small so later blocks overwrite earlier ones.</summary>
    public const int KeySpace = 97;

    /// <summary>A checkpoint every this many blocks.</summary>
    public const int CheckpointEvery = 41;

    public static NodeStorageOptions Options(string directory) => new()
    {
        DataDirectory = directory,
        Store = new ShardedStoreOptions
        {
            ShardCount = 2,
            MemoryBudgetPerShardBytes = 64 << 10,
            HashBucketsPerShard = 1 << 8,
            MaxValueSize = 1024,
        },
        Wal = new WalOptions { PageSizeBits = 14, MemorySizeBits = 16, SegmentSizeBits = 20 },
    };

    /// <summary>Block n: 8-byte n, then filler of a length that varies with n (crosses WAL pages often).</summary>
    public static byte[] Payload(long n)
    {
        var payload = new byte[8 + (int)((n * 7919) % 700)];
        BinaryPrimitives.WriteInt64LittleEndian(payload, n);
        Fill(payload.AsSpan(8), (ulong)n);
        return payload;
    }

    public static byte[] StateKey(long slot)
    {
        var key = new byte[32];
        BinaryPrimitives.WriteInt64LittleEndian(key, slot);
        key[31] = 0x5A;
        return key;
    }

    /// <summary>The key that holds the number of blocks applied.</summary>
    public static byte[] ProgressKey()
    {
        var key = new byte[32];
        key.AsSpan().Fill(0xFF);
        return key;
    }

    public static byte[] StateValue(long n)
    {
        var value = new byte[16 + (int)(n % 113)];
        BinaryPrimitives.WriteInt64LittleEndian(value, n);
        Fill(value.AsSpan(8), (ulong)n ^ 0xABCDEF);
        return value;
    }

    /// <summary>Applies block <paramref name="payload"/> to the state; returns its number.</summary>
    public static long Apply(ShardedStore state, ReadOnlySpan<byte> payload)
    {
        var n = BinaryPrimitives.ReadInt64LittleEndian(payload);
        state.Upsert(StateKey(n % KeySpace), StateValue(n));
        Span<byte> progress = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(progress, n + 1);
        state.Upsert(ProgressKey(), progress);
        return n;
    }

    /// <summary>Number of blocks the state reflects.</summary>
    public static long Progress(ShardedStore state)
    {
        Span<byte> buffer = stackalloc byte[8];
        return state.Read(ProgressKey(), buffer, out _) == ReadResult.Found ? BinaryPrimitives.ReadInt64LittleEndian(buffer) : 0;
    }

    private static void Fill(Span<byte> span, ulong seed)
    {
        var x = (seed * 0x9E3779B97F4A7C15UL) | 1;
        for (var i = 0; i < span.Length; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            span[i] = (byte)x;
        }
    }
}
