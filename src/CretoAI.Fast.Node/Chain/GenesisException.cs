namespace CretoAI.Fast.Node.Chain;

/// <summary>
/// A genesis file or genesis parameters the node cannot run with. The message names the file (when
/// there is one), the field as a JSON path (<c>validators[2].public_key</c>) and why, for the
/// operator. Derives from <see cref="IOException"/> for the same reason the key file error does:
/// it is a problem with a file, and the boundaries that report I/O errors report this one too.
/// </summary>
public sealed class GenesisException : IOException
{
    public GenesisException(string? filePath, string field, string reason)
        : base(Format(filePath, field, reason))
    {
        FilePath = filePath;
        Field = field;
        Reason = reason;
    }

    public GenesisException(string? filePath, string field, string reason, Exception innerException)
        : base(Format(filePath, field, reason), innerException)
    {
        FilePath = filePath;
        Field = field;
        Reason = reason;
    }

    public GenesisException()
        : this(null, "genesis", "invalid genesis")
    {
    }

    public GenesisException(string message)
        : this(null, "genesis", message)
    {
    }

    public GenesisException(string message, Exception innerException)
        : this(null, "genesis", message, innerException)
    {
    }

    /// <summary>The genesis file, as the caller named it; null for parameters built in code.</summary>
    public string? FilePath { get; }

    /// <summary>The offending field as a JSON path without the leading <c>$.</c>, e.g. <c>validators[2].stake</c>.</summary>
    public string Field { get; }

    /// <summary>Why the value is refused, without the file and field.</summary>
    public string Reason { get; }

    /// <summary>The same error attributed to <paramref name="filePath"/>.</summary>
    internal GenesisException InFile(string filePath) => new(filePath, Field, Reason, this);

    private static string Format(string? filePath, string field, string reason)
    {
        var where = field.Length == 0 ? string.Empty : field + ": ";
        return filePath is null ? $"genesis {where}{reason}" : $"genesis file '{filePath}': {where}{reason}";
    }
}
