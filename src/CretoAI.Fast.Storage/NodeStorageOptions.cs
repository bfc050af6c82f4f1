using CretoAI.Fast.Core;

namespace CretoAI.Fast.Storage;

/// <summary>Everything needed to open a node's data directory.</summary>
public sealed class NodeStorageOptions
{
    /// <summary>The data directory (see docs/storage.md for its layout).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Create the directory if it does not exist (false: a missing directory is an error).</summary>
    public bool CreateIfMissing { get; init; } = true;

    public ShardedStoreOptions Store { get; init; } = new();

    public WalOptions Wal { get; init; } = new();

    /// <summary>Complete checkpoints kept on disk (at least 1). The WAL is kept back to the oldest kept one, so recovery can fall back to it.</summary>
    public int CheckpointsToKeep { get; init; } = 2;

    /// <summary>
    /// The options to open a directory of storage <paramref name="format"/> with. FASTER reads a log
    /// only with the page size it was written with, so a format-2 directory keeps format 2's page sizes:
    /// 4 MiB WAL pages with no split records, and store pages for values up to 1 MiB. Formats 2 and 3
    /// keep FasterLog's file-per-commit records (<see cref="WalOptions.CommitInPlace"/> false). Format 4
    /// uses these options as given.
    /// </summary>
    public NodeStorageOptions ForFormat(int format)
    {
        const int Format2WalPageBits = 22; // 4 MiB pages
        if (format >= 4)
        {
            return this;
        }

        var format2 = format <= 2;
        return new NodeStorageOptions
        {
            DataDirectory = DataDirectory,
            CreateIfMissing = CreateIfMissing,
            CheckpointsToKeep = CheckpointsToKeep,
            Store = !format2 ? Store : new ShardedStoreOptions
            {
                ShardCount = Store.ShardCount,
                KeySize = Store.KeySize,
                MaxValueSize = 1 << 20,
                MemoryBudgetPerShardBytes = Store.MemoryBudgetPerShardBytes,
                HashBucketsPerShard = Store.HashBucketsPerShard,
            },
            Wal = new WalOptions
            {
                Durability = Wal.Durability,
                GroupCommitDelay = Wal.GroupCommitDelay,
                SegmentSizeBits = Wal.SegmentSizeBits,
                PageSizeBits = format2 ? Format2WalPageBits : Wal.PageSizeBits,
                MemorySizeBits = format2 ? Format2WalPageBits + 2 : Wal.MemorySizeBits,
                MaxRecordSize = format2 ? WalOptions.PayloadPerPage(Format2WalPageBits) : Wal.MaxRecordSize,
                CommitInPlace = false,
            },
        };
    }

    public void Validate()
    {
        Store.Validate();
        Wal.Validate();
        if (CheckpointsToKeep is < 1 or > 16)
        {
            throw new InvalidSettingException(nameof(CheckpointsToKeep), $"{CheckpointsToKeep} is outside 1..16.");
        }
    }
}
