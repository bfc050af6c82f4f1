using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace CretoAI.Fast.Crypto.Keys;

/// <summary>
/// Reading and writing key files on disk: the permission rule for private keys, the size limit,
/// and atomic creation. Every operating-system failure becomes a <see cref="KeyFileException"/>
/// that names the file.
/// </summary>
internal static class KeyFileStorage
{
    /// <summary>Mode of a private key file: owner read and write, nothing for group and others.</summary>
    public const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Mode of a public key or signature file: anyone may read it.</summary>
    public const UnixFileMode PublicMode = PrivateMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Octal like <c>ls -l</c> users and <c>chmod</c> speak: <c>0644</c>.</summary>
    public static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');

    /// <summary>
    /// Reads a whole key file as text into a rented buffer (zeroed and returned by <see cref="Release"/>),
    /// with its mode taken from the open handle (null on Windows), so that the file whose mode is
    /// checked is the file that was read.
    /// </summary>
    public static char[] ReadText(string path, KeyFileKind kind, out int length, out UnixFileMode? mode)
    {
        var what = kind == KeyFileKind.PrivateSeed ? "private key file" : "public key file";
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new KeyFileException(KeyFileError.Missing, path, $"{what} '{path}' does not exist", ex);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or ArgumentException or NotSupportedException)
        {
            throw new KeyFileException(KeyFileError.Unreadable, path, $"cannot open {what} '{path}': {ex.Message}", ex);
        }

        using (handle)
        {
            mode = OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(handle);
            var bytes = ArrayPool<byte>.Shared.Rent(KeyFileText.MaxFileBytes + 1);
            var read = 0;
            try
            {
                long fileLength;
                try
                {
                    fileLength = RandomAccess.GetLength(handle);
                    if (fileLength <= KeyFileText.MaxFileBytes)
                    {
                        // Read one byte past the limit: the file may have grown since its length was taken.
                        read = ReadAll(handle, bytes.AsSpan(0, KeyFileText.MaxFileBytes + 1));
                    }
                }
                catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
                {
                    throw new KeyFileException(KeyFileError.Unreadable, path, $"cannot read {what} '{path}': {ex.Message}", ex);
                }

                if (fileLength > KeyFileText.MaxFileBytes || read > KeyFileText.MaxFileBytes)
                {
                    throw new KeyFileException(
                        KeyFileError.BadFormat,
                        path,
                        $"'{path}' is {Math.Max(fileLength, read).ToString(CultureInfo.InvariantCulture)} bytes, too large to be a key file (at most {KeyFileText.MaxFileBytes})");
                }

                // Latin-1 maps each byte to one char, so any byte sequence decodes and a non-ASCII byte
                // surfaces as a clear format error from the parser instead of a decoder exception.
                var chars = ArrayPool<char>.Shared.Rent(Math.Max(read, 1));
                length = Encoding.Latin1.GetChars(bytes.AsSpan(0, read), chars);
                return chars;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(bytes.AsSpan(0, read));
                ArrayPool<byte>.Shared.Return(bytes);
            }
        }
    }

    /// <summary>Refuses a private key file that group or others may access (ssh's rule), naming the fix.</summary>
    public static void CheckPrivateMode(string path, UnixFileMode? mode)
    {
        if (mode is { } actual && (actual & GroupOrOthers) != UnixFileMode.None)
        {
            throw new KeyFileException(
                KeyFileError.InsecurePermissions,
                path,
                $"private key file '{path}' has mode {Octal(actual)}: group or others may access it, so it is refused. " +
                $"Run 'chmod 600 {path}' (and consider the key exposed if others could read it).");
        }
    }

    /// <summary>Zeroes and returns a buffer from <see cref="ReadText"/>.</summary>
    public static void Release(char[] text, int length)
    {
        Array.Clear(text, 0, length);
        ArrayPool<char>.Shared.Return(text);
    }

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> so that the file appears whole or
    /// not at all, and is never readable beyond <paramref name="mode"/>: the bytes go to a new temporary
    /// file in the same directory, created with that mode from the first instant (no chmod afterwards,
    /// so there is no window where a secret is world-readable), flushed to disk, then renamed over
    /// the destination. Without <paramref name="overwrite"/> an existing destination is refused, also
    /// if it appears between the check and the rename.
    /// </summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content, UnixFileMode mode, bool overwrite)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath) ?? throw new KeyFileException(KeyFileError.Unreadable, path, $"'{path}' has no directory");
        if (!overwrite && Path.Exists(fullPath))
        {
            throw AlreadyExists(path);
        }

        Span<byte> nonce = stackalloc byte[8];
        RandomBytes.Fill(nonce);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Convert.ToHexStringLower(nonce)}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                if (!OperatingSystem.IsWindows())
                {
                    // The umask may only have removed bits from the create mode; set it exactly so the
                    // owner can always read the file back. Never adds bits beyond `mode`.
                    File.SetUnixFileMode(stream.SafeFileHandle, mode);
                }

                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            if (overwrite)
            {
                File.Move(temporary, fullPath, overwrite: true); // rename(2): atomic replace.
            }
            else
            {
                switch (PosixLink.TryLink(temporary, fullPath))
                {
                    case PosixLink.Result.Linked:
                        TryDelete(temporary);
                        break;
                    case PosixLink.Result.TargetExists:
                        TryDelete(temporary);
                        throw AlreadyExists(path);
                    default:
                        // Windows (MoveFileEx without REPLACE_EXISTING is atomic) or a file system
                        // without hard links (check-then-rename: the best it allows).
                        File.Move(temporary, fullPath, overwrite: false);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException && ex is not KeyFileException)
        {
            TryDelete(temporary);
            if (!overwrite && Path.Exists(fullPath))
            {
                throw AlreadyExists(path);
            }

            var error = ex is DirectoryNotFoundException ? KeyFileError.Missing : KeyFileError.Unreadable;
            throw new KeyFileException(error, path, $"cannot write '{path}': {ex.Message}", ex);
        }
    }

    private static KeyFileException AlreadyExists(string path) =>
        new(KeyFileError.AlreadyExists, path, $"'{path}' already exists; refusing to overwrite it");

    private static int ReadAll(SafeFileHandle handle, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer[total..], total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temporary file holds nothing the destination would not have held.
        }
    }
}
