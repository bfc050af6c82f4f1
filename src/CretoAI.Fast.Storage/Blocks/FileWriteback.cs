using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CretoAI.Fast.Storage.Blocks;

/// <summary>
/// Starts the kernel writing a just-appended file range to disk without waiting for it (Linux
/// <c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>), so dirty pages do not pile up until the next fsync.
/// Without it the archive's fsync at each checkpoint wrote a thousand blocks (hundreds of MB) at once,
/// and on ext4 the WAL's own fsyncs queued behind that journal commit: every validator's commits
/// stalled for seconds. Advisory: a failure, or another OS, leaves the data to the next fsync.
/// </summary>
internal static partial class FileWriteback
{
    /// <summary>SYNC_FILE_RANGE_WRITE: start writeback of dirty pages in the range, do not wait.</summary>
    private const uint StartWrite = 2;

    public static void Start(SafeFileHandle file, long offset, long length)
    {
        if (!OperatingSystem.IsLinux() || length <= 0)
        {
            return;
        }

        _ = SyncFileRange(file, offset, length, StartWrite);
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long count, uint flags);
}
