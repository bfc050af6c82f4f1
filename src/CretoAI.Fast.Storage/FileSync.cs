using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CretoAI.Fast.Storage;

/// <summary>
/// The two flushes .NET does not offer: <c>fdatasync</c> (a file's data and the metadata needed to read
/// it back, not its timestamps: an in-place overwrite needs no journal commit) and <c>fsync</c> of a
/// directory (so a newly created file's name survives a crash). Other operating systems fall back to a
/// full flush and skip the directory.
/// </summary>
internal static partial class FileSync
{
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

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FDataSync(SafeFileHandle fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
