using System.Globalization;

namespace CretoAI.Fast.Storage;

/// <summary>
/// Owns one data directory for the life of a process: checks it exists and is writable, holds an exclusive
/// lock file so a second process (or a second instance in this one) cannot open it, and checks the on-disk
/// format version. Every failure is a <see cref="StorageException"/> naming the directory.
/// </summary>
public sealed class DataDirectory : IDisposable
{
    /// <summary>
    /// The on-disk format this build writes and the newest it can read. 2 (2026-12-05): store log
    /// pages sized to the largest record (2 MiB; format 1 had 16 MiB pages, and FASTER cannot read
    /// a log with another page size), block ids over transaction digests (`cretoai-fast/block/v2`)
    /// and certificate-only commit records in the WAL. 3 (also 2026-12-05, later): 256 KiB WAL pages with larger
    /// records split into parts (<see cref="WalRecordFlags"/>) and 128 KiB store pages (values up to
    /// 64 KiB). 4 (2026-12-05): the WAL's commits are recorded in place in <c>wal/wal.commit</c>
    /// (<see cref="WalCommitFile"/>) instead of a new file per commit under <c>wal/log-commits/</c>; a
    /// build that knows only format 3 would not find them, hence the new number. Format-2 and format-3
    /// directories are still read and written as they were, page sizes and commit files included
    /// (<see cref="NodeStorageOptions.ForFormat"/>); each stays at its format.
    /// </summary>
    public const int FormatVersion = 4;

    /// <summary>The oldest format this build reads: older directories are refused with a clear error (there is no in-place migration).</summary>
    public const int OldestReadableFormat = 2;

    /// <summary>Name of the lock file; it is held with an exclusive OS lock while the directory is open.</summary>
    public const string LockFileName = "LOCK";

    /// <summary>Name of the file that says who holds the lock (pid, start time), for error messages.</summary>
    public const string LockHolderFileName = "LOCK.holder";

    /// <summary>Name of the format-version file.</summary>
    public const string FormatFileName = "FORMAT";

    private const string FormatPrefix = "cretoai-fast-storage ";

    private readonly FileStream _lock;

    private DataDirectory(string path, FileStream lockStream, int format)
    {
        Path = path;
        _lock = lockStream;
        Format = format;
    }

    /// <summary>The storage format of this directory: what its format file says, or <see cref="FormatVersion"/> for a new one.</summary>
    public int Format { get; }

    /// <summary>Absolute path of the directory.</summary>
    public string Path { get; }

    /// <summary>Directory holding one sub-directory per shard with its hybrid log.</summary>
    public string ShardsPath => System.IO.Path.Combine(Path, "shards");

    /// <summary>Directory holding the write-ahead log.</summary>
    public string WalPath => System.IO.Path.Combine(Path, "wal");

    /// <summary>Directory holding checkpoint manifests and FASTER checkpoint data.</summary>
    public string CheckpointPath => System.IO.Path.Combine(Path, "checkpoints");

    /// <summary>Opens (and, if <paramref name="createIfMissing"/>, creates) a data directory and locks it.</summary>
    public static DataDirectory Open(string path, bool createIfMissing = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            if (!createIfMissing)
            {
                throw new StorageException(StorageError.DirectoryMissing, $"Data directory '{full}' does not exist.");
            }

            try
            {
                Directory.CreateDirectory(full);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new StorageException(StorageError.DirectoryMissing, $"Data directory '{full}' does not exist and cannot be created: {ex.Message}", ex);
            }
        }

        ProbeWritable(full);
        var lockStream = AcquireLock(full);
        try
        {
            var format = CheckOrWriteFormat(full);
            WriteHolder(full);
            return new DataDirectory(full, lockStream, format);
        }
        catch
        {
            lockStream.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            File.Delete(System.IO.Path.Combine(Path, LockHolderFileName));
        }
        catch (IOException)
        {
            // A stale holder file is harmless: the OS lock, not the file, decides who owns the directory.
        }

        _lock.Dispose();
    }

    private static void ProbeWritable(string full)
    {
        var probe = System.IO.Path.Combine(full, ".write-probe-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        try
        {
            using (var stream = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
                stream.WriteByte(0);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException(StorageError.DirectoryNotWritable, $"Data directory '{full}' is not writable: {ex.Message}", ex);
        }
    }

    private static FileStream AcquireLock(string full)
    {
        var lockPath = System.IO.Path.Combine(full, LockFileName);
        try
        {
            // FileShare.None takes an exclusive flock on Unix and a share-mode lock on Windows; the kernel
            // releases it when the process dies, so a SIGKILL never leaves the directory locked.
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new StorageException(
                StorageError.DirectoryLocked,
                $"Data directory '{full}' is in use by another process or instance ({DescribeHolder(full)}); refusing to open it twice.",
                ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StorageException(StorageError.DirectoryNotWritable, $"Cannot create lock file '{lockPath}': {ex.Message}", ex);
        }
    }

    private static string DescribeHolder(string full)
    {
        try
        {
            var text = File.ReadAllText(System.IO.Path.Combine(full, LockHolderFileName)).Trim();
            return text.Length == 0 ? "holder unknown" : "holder " + text;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "holder unknown";
        }
    }

    private static void WriteHolder(string full)
    {
        // Environment.ProcessPath, not Process.GetCurrentProcess().ProcessName: the latter reads five
        // /proc files and every thread's stat, about a millisecond and a half of start-up.
        var name = System.IO.Path.GetFileName(Environment.ProcessPath) ?? "unknown";
        var text = string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId} ({name}) since {DateTime.UtcNow:O}\n");
        File.WriteAllText(System.IO.Path.Combine(full, LockHolderFileName), text);
    }

    private static int CheckOrWriteFormat(string full)
    {
        var formatPath = System.IO.Path.Combine(full, FormatFileName);
        if (!File.Exists(formatPath))
        {
            if (Directory.Exists(System.IO.Path.Combine(full, "wal")) || Directory.Exists(System.IO.Path.Combine(full, "shards")))
            {
                throw new StorageException(StorageError.UnsupportedFormat, $"Data directory '{full}' holds storage files but no {FormatFileName} file; refusing to guess its format.");
            }

            var tmp = formatPath + ".tmp";
            using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                var bytes = System.Text.Encoding.ASCII.GetBytes(FormatPrefix + FormatVersion.ToString(CultureInfo.InvariantCulture) + "\n");
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(tmp, formatPath, overwrite: true);
            return FormatVersion;
        }

        var text = File.ReadAllText(formatPath).Trim();
        if (!text.StartsWith(FormatPrefix, StringComparison.Ordinal)
            || !int.TryParse(text.AsSpan(FormatPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new StorageException(StorageError.UnsupportedFormat, $"Data directory '{full}' has an unreadable {FormatFileName} file ('{Truncate(text)}').");
        }

        if (version > FormatVersion || version < 1)
        {
            throw new StorageException(
                StorageError.UnsupportedFormat,
                $"Data directory '{full}' uses storage format {version}; this build reads format {FormatVersion} and older. Use a newer build.");
        }

        if (version < OldestReadableFormat)
        {
            throw new StorageException(
                StorageError.UnsupportedFormat,
                $"Data directory '{full}' uses storage format {version}, written by an older build; this build reads {Readable()} only (the store's page size and the block id changed) and cannot convert it. Keep running the older build on it, or start this node from an empty data directory: it then catches up from peers that run this build. A local test cluster made by 'testnet init' or 'cluster up': delete its directory (or use another --dir) and start again.");
        }

        return version;
    }

    private static string Readable() => OldestReadableFormat == FormatVersion
        ? $"format {FormatVersion}"
        : $"formats {OldestReadableFormat} to {FormatVersion}";

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
