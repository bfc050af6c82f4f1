namespace CretoAI.Fast.Storage;

/// <summary>How <see cref="WriteAheadLog.Commit"/> makes appended records durable.</summary>
public enum WalDurability
{
    /// <summary>
    /// Every commit call writes the log tail and its commit record through to the device before returning
    /// (write-through files: the data is on stable storage, not only in the page cache). The default for
    /// consensus data.
    /// </summary>
    SyncEveryCommit = 0,

    /// <summary>
    /// Commit calls wait for a background committer that makes everything appended so far durable in one
    /// device write; concurrent callers share that write. Same guarantee per returned call, fewer device writes.
    /// </summary>
    GroupCommit = 1,
}
