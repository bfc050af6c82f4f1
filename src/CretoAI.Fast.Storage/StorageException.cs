namespace CretoAI.Fast.Storage;

/// <summary>
/// An expected storage failure (bad directory, lock held, disk full, corrupt file) with a machine-readable
/// <see cref="Error"/> and a message that names the path involved. Callers log it once and stop or retry.
/// </summary>
public sealed class StorageException : Exception
{
    public StorageException(StorageError error, string message)
        : base(message)
    {
        Error = error;
    }

    public StorageException(StorageError error, string message, Exception innerException)
        : base(message, innerException)
    {
        Error = error;
    }

    public StorageException()
    {
    }

    public StorageException(string message)
        : base(message)
    {
    }

    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What went wrong.</summary>
    public StorageError Error { get; }
}
