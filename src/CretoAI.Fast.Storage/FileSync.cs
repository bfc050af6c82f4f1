using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CretoAI.Fast.Storage;

/// <summary>
/// The flushes .NET does not offer: <c>fdatasync</c> (a file's data and the metadata needed to read it
/// back, not its timestamps: an in-place overwrite needs no journal commit), <c>fsync</c> of a directory
/// (so a newly created file's name survives a crash), and starting writeback without waiting
/// (<c>sync_file_range</c>). Other operating systems fall back to a full flush, skip the directory and
/// skip the writeback hint.
/// </summary>
internal static partial class FileSync
{
    /// <summary>SYNC_FILE_RANGE_WRITE: start writeback of dirty pages in the range, do not wait.</summary>
    private const uint StartWrite = 2;
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000; // O_CLOEXEC, the same on Linux x86-64 and arm64 (O_DIRECTORY is not)

    /// <summary>Makes <paramref name="file"/>'s written data durable.</summary>
    /// <exception cref="IOException">The flush failed (the data may not be on disk).</exception>
    public static void Data(SafeFileHandle file)
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomAccess.FlushToDisk(file);
            return;
        }

        if (FDataSync(file) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"fdatasync failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
        }
    }

    /// <summary>Makes the entries of <paramref name="path"/> (a directory) durable.</summary>
    /// <exception cref="IOException">The directory could not be opened or flushed.</exception>
    public static void Directory(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(path, ReadOnly | CloseOnExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot open directory '{path}' to flush it: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
        }

        try
        {
            if (FSync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new IOException($"fsync of directory '{path}' failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Starts the kernel writing a just-appended file range to disk without waiting for it, so dirty
    /// pages do not pile up until the next fsync. Without it the block archive's fsync at each
    /// checkpoint wrote a thousand blocks (hundreds of MB) at once, and on ext4 the WAL's own fsyncs
    /// queued behind that journal commit: every validator's commits stalled for seconds. Advisory: a
    /// failure leaves the data to the next fsync.
    /// </summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long length)
    {
        if (!OperatingSystem.IsLinux() || length <= 0)
        {
            return;
        }

        _ = SyncFileRange(file, offset, length, StartWrite);
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long count, uint flags);

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FDataSync(SafeFileHandle fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
