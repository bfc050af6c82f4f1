using CretoAI.Fast.Core;

namespace CretoAI.Fast.Storage;

/// <summary>Every knob of <see cref="WriteAheadLog"/>, with defaults.</summary>
public sealed class WalOptions
{
    /// <summary>Commit policy; see <see cref="WalDurability"/>.</summary>
    public WalDurability Durability { get; init; } = WalDurability.SyncEveryCommit;

    /// <summary>Group commit only: how long the committer waits to gather more records before writing (0 = write as soon as asked).</summary>
    public TimeSpan GroupCommitDelay { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// log2 of the log page size (256 KiB). A record larger than a page is written as several parts
    /// (<see cref="WalRecordFlags"/>). FASTER allocates and zeroes the first two pages when the log
    /// opens, so small pages keep start-up fast; storage format 2 directories keep their 4 MiB pages.
    /// </summary>
    public int PageSizeBits { get; init; } = 18;

    /// <summary>log2 of the in-memory tail buffer (at least two pages; 4 MiB). Pages are allocated as the tail reaches them.</summary>
    public int MemorySizeBits { get; init; } = 22;

    /// <summary>log2 of the size of one segment file on disk.</summary>
    public int SegmentSizeBits { get; init; } = 28;

    /// <summary>
    /// Storage format 4 and later: commits are recorded in place in <c>wal.commit</c>
    /// (<see cref="WalCommitFile"/>). False (formats 2 and 3): FasterLog's own manager, a new file
    /// under <c>log-commits/</c> per commit. A directory keeps the kind it was created with.
    /// </summary>
    internal bool CommitInPlace { get; init; } = true;

    /// <summary>Largest payload written as one log entry (one page less the header and FASTER's framing); larger ones are split.</summary>
    public int MaxPayloadSize => PayloadPerPage(PageSizeBits);

    /// <summary>Largest payload accepted by <see cref="WriteAheadLog.Append"/> (64 MiB); at most <see cref="MaxPayloadSize"/> means records are never split.</summary>
    public int MaxRecordSize { get; init; } = 64 << 20;

    /// <summary>Payload bytes one log entry holds with 2^<paramref name="pageSizeBits"/>-byte pages: the page less the record header and FASTER's framing.</summary>
    internal static int PayloadPerPage(int pageSizeBits) => (1 << pageSizeBits) - WalRecordHeader.Size - 64;

    public void Validate()
    {
        if (PageSizeBits is < 12 or > 28)
        {
            throw new InvalidSettingException(nameof(PageSizeBits), $"{PageSizeBits} is outside 12..28.");
        }

        if (MemorySizeBits < PageSizeBits + 1 || MemorySizeBits > 34)
        {
            throw new InvalidSettingException(nameof(MemorySizeBits), $"{MemorySizeBits} must be at least PageSizeBits + 1 and at most 34.");
        }

        if (MaxRecordSize < 1 || MaxRecordSize > 1 << 30)
        {
            throw new InvalidSettingException(nameof(MaxRecordSize), $"{MaxRecordSize} is outside 1..1 GiB.");
        }

        if (SegmentSizeBits < PageSizeBits || SegmentSizeBits > 40)
        {
            throw new InvalidSettingException(nameof(SegmentSizeBits), $"{SegmentSizeBits} must be at least PageSizeBits and at most 40.");
        }

        if (GroupCommitDelay < TimeSpan.Zero || GroupCommitDelay > TimeSpan.FromSeconds(1))
        {
            throw new InvalidSettingException(nameof(GroupCommitDelay), $"{GroupCommitDelay} is outside 0..1 s.");
        }
    }
}
