using System.Text;

namespace CretoAI.Fast.Node.Chain;

/// <summary>Writes an operator document (genesis, settings) whole or not at all: a temporary file in the same directory, fsync, rename.</summary>
internal static class DocumentFile
{
    /// <param name="path">Destination file.</param>
    /// <param name="text">The document, written as UTF-8.</param>
    /// <param name="what">Names the document in errors ("genesis file", "config file").</param>
    /// <param name="overwrite">Replace an existing file instead of refusing.</param>
    /// <exception cref="IOException">The file exists (without <paramref name="overwrite"/>) or cannot be written.</exception>
    public static void Write(string path, string text, string what, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = Encoding.UTF8.GetBytes(text);
        var full = Path.GetFullPath(path);
        if (!overwrite && Path.Exists(full))
        {
            throw new IOException($"'{path}' already exists; refusing to overwrite a {what}.");
        }

        var temporary = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            File.Delete(temporary);
            throw new IOException($"cannot write {what} '{path}': {e.Message}", e);
        }
    }
}
