namespace CretoAI.Fast.Crypto.Keys;

/// <summary>Why a key file could not be read or written; each has its own message for the operator.</summary>
public enum KeyFileError
{
    /// <summary>The file (or its directory) does not exist.</summary>
    Missing,

    /// <summary>The operating system refused to open, read or write it (permissions, a directory, an I/O error).</summary>
    Unreadable,

    /// <summary>The first line is not <c>cretoai-fast-key v&lt;N&gt;</c>: some other file was given.</summary>
    NotAKeyFile,

    /// <summary>Written by a newer cretoai-fast (format version above the one this build reads).</summary>
    UnsupportedVersion,

    /// <summary>A line is malformed, a field is missing, repeated or unknown, or the file is too large.</summary>
    BadFormat,

    /// <summary>A key file of another kind (for example a public key where a private key is expected).</summary>
    WrongKind,

    /// <summary>The key data has the wrong number of bytes for its kind.</summary>
    WrongLength,

    /// <summary>A field that must be hex is not (odd length or a non-hex character).</summary>
    BadEncoding,

    /// <summary>The <c>node-id:</c> line does not match the key (the file was corrupted or edited).</summary>
    NodeIdMismatch,

    /// <summary>A private key file that group or others may access; refused until <c>chmod 600</c>.</summary>
    InsecurePermissions,

    /// <summary>Writing would replace an existing file and overwriting was not asked for.</summary>
    AlreadyExists,
}
