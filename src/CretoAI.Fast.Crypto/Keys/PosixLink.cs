using System.Runtime.InteropServices;

namespace CretoAI.Fast.Crypto.Keys;

/// <summary>
/// link(2), the one POSIX call that puts a file at a name only if that name is free, atomically.
/// .NET's <c>File.Move(..., overwrite: false)</c> checks and then renames, which would let a key
/// that appears in between be replaced.
/// </summary>
internal static partial class PosixLink
{
    private const int AlreadyExists = 17; // EEXIST on Linux and macOS.

    public enum Result
    {
        Linked,
        TargetExists,

        /// <summary>The file system does not do hard links (some network or FAT mounts): the caller falls back.</summary>
        Unsupported,
    }

    public static Result TryLink(string existingPath, string newPath)
    {
        if (OperatingSystem.IsWindows())
        {
            return Result.Unsupported;
        }

        if (Link(existingPath, newPath) == 0)
        {
            return Result.Linked;
        }

        return Marshal.GetLastPInvokeError() == AlreadyExists ? Result.TargetExists : Result.Unsupported;
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existingPath, string newPath);
}
