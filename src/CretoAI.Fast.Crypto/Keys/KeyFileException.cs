namespace CretoAI.Fast.Crypto.Keys;

/// <summary>
/// A key file could not be read or written. The message names the file and, where there is one,
/// the fix. Derives from <see cref="IOException"/> because it is a problem with a file: callers
/// that already report I/O failures at their boundary (the CLI) report this one the same way.
/// </summary>
public sealed class KeyFileException : IOException
{
    public KeyFileException(KeyFileError error, string path, string message)
        : base(message)
    {
        Error = error;
        FilePath = path;
    }

    public KeyFileException(KeyFileError error, string path, string message, Exception innerException)
        : base(message, innerException)
    {
        Error = error;
        FilePath = path;
    }

    public KeyFileException()
        : this(KeyFileError.BadFormat, string.Empty, "invalid key file")
    {
    }

    public KeyFileException(string message)
        : this(KeyFileError.BadFormat, string.Empty, message)
    {
    }

    public KeyFileException(string message, Exception innerException)
        : this(KeyFileError.BadFormat, string.Empty, message, innerException)
    {
    }

    public KeyFileError Error { get; }

    /// <summary>The file the error is about, as the caller named it.</summary>
    public string FilePath { get; }
}
