namespace CretoAI.Fast.Storage;

/// <summary>How <see cref="WriteAheadLog.Commit"/> makes appended records durable.</summary>
public enum WalDurability
{
    /// <summary>
    /// Every commit call makes the log tail and then its commit record durable before returning (format 4:
    /// the segments written are flushed, then the record; formats 2 and 3: write-through files), so the
    /// data is on stable storage, not only in the page cache. The default for consensus data.
    /// </summary>
    SyncEveryCommit = 0,

    /// <summary>
    /// Commit calls wait for a background committer that makes everything appended so far durable in one
    /// device write; concurrent callers share that write. Same guarantee per returned call, fewer device writes.
    /// </summary>
    GroupCommit = 1,
}
