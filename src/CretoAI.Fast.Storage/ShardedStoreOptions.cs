using System.Numerics;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Storage;

/// <summary>Every knob of <see cref="ShardedStore"/>, with defaults; validated by <see cref="Validate"/>.</summary>
public sealed class ShardedStoreOptions
{
    /// <summary>Number of FASTER stores; a key's shard is picked from a hash of its bytes. Fixed for the life of a directory.</summary>
    public int ShardCount { get; init; } = Environment.ProcessorCount;

    /// <summary>Size of every key in bytes (32 for a <see cref="Hash32"/>).</summary>
    public int KeySize { get; init; } = Hash32.Size;

    /// <summary>
    /// Largest value accepted, in bytes (64 KiB: every state record is far smaller). It sets the log
    /// page size (below), which a directory keeps for life.
    /// </summary>
    public int MaxValueSize { get; init; } = 64 << 10;

    /// <summary>
    /// In-memory part of each shard's hybrid log, in bytes (rounded down to a power of two, at least 64 KiB).
    /// Older records spill to the shard's log file on disk and are read back on demand.
    /// </summary>
    public long MemoryBudgetPerShardBytes { get; init; } = 128L << 20;

    /// <summary>Hash-index buckets per shard (power of two); each bucket is 64 bytes and holds 7 entries before chaining.</summary>
    public long HashBucketsPerShard { get; init; } = 1L << 17;

    /// <summary>Throws <see cref="InvalidSettingException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (ShardCount is < 1 or > 256)
        {
            throw new InvalidSettingException(nameof(ShardCount), $"{ShardCount} is outside 1..256.");
        }

        if (KeySize is < 1 or > 1024)
        {
            throw new InvalidSettingException(nameof(KeySize), $"{KeySize} is outside 1..1024.");
        }

        if (MaxValueSize is < 1 or > 64 << 20)
        {
            throw new InvalidSettingException(nameof(MaxValueSize), $"{MaxValueSize} is outside 1..64 MiB.");
        }

        if (MemoryBudgetPerShardBytes < 64 << 10)
        {
            throw new InvalidSettingException(nameof(MemoryBudgetPerShardBytes), $"{MemoryBudgetPerShardBytes} is below 64 KiB.");
        }

        if (HashBucketsPerShard < 64 || !BitOperations.IsPow2(HashBucketsPerShard))
        {
            throw new InvalidSettingException(nameof(HashBucketsPerShard), $"{HashBucketsPerShard} must be a power of two and at least 64.");
        }

        if (PageSizeBits > MemorySizeBits - 1)
        {
            throw new InvalidSettingException(nameof(MaxValueSize), $"{MaxValueSize} needs {1L << PageSizeBits}-byte log pages, and the memory budget of {MemoryBudgetPerShardBytes} bytes must hold at least two; raise {nameof(MemoryBudgetPerShardBytes)} or lower {nameof(MaxValueSize)}.");
        }
    }

    /// <summary>log2 of the in-memory log size.</summary>
    internal int MemorySizeBits => BitOperations.Log2((ulong)MemoryBudgetPerShardBytes);

    /// <summary>
    /// Pages are the smallest power of two that holds the largest record (at least 4 KiB; the memory
    /// budget must hold two): FASTER allocates and zeroes whole pages as the log grows, so small
    /// pages keep an empty or small store's start-up time and resident memory small.
    /// </summary>
    internal int PageSizeBits => Math.Max(12, BitOperations.Log2(BitOperations.RoundUpToPowerOf2((ulong)MaxValueSize + (ulong)KeySize + 64)));
}
