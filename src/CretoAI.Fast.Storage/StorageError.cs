namespace CretoAI.Fast.Storage;

/// <summary>Why a storage operation was refused; each value has one clear operator action.</summary>
public enum StorageError
{
    /// <summary>The data directory does not exist and creating it was not allowed or failed.</summary>
    DirectoryMissing = 1,

    /// <summary>The data directory exists but this process cannot write to it.</summary>
    DirectoryNotWritable = 2,

    /// <summary>Another process or instance holds the directory's lock file.</summary>
    DirectoryLocked = 3,

    /// <summary>The directory was written by a newer (or unknown) on-disk format.</summary>
    UnsupportedFormat = 4,

    /// <summary>The device reported no space left; the failed append was not committed.</summary>
    DiskFull = 5,

    /// <summary>Any other device I/O failure during append or commit.</summary>
    IoFailure = 6,

    /// <summary>The WAL holds a record whose checksum or framing is wrong; appends are refused.</summary>
    WalCorrupt = 7,

    /// <summary>A key had the wrong size or a value was too large.</summary>
    InvalidArgument = 8,

    /// <summary>No complete checkpoint could be recovered although checkpoint files exist.</summary>
    CheckpointUnusable = 9,

    /// <summary>A record of replicated state is damaged (wrong size or layout).</summary>
    StateCorrupt = 10,
}
