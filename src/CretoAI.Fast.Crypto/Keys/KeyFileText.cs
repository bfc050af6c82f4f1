using System.Globalization;
using System.Text;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Crypto.Keys;

/// <summary>
/// The text layout shared by public and private key files (docs/keys.md): a magic and version
/// line, then <c>name: value</c> lines. Text so that an operator can tell files apart with
/// <c>head</c>; hex because the rest of the tool (ids, <c>--identity-seed</c>) speaks hex.
/// Decoding never trusts the file: every deviation is a <see cref="KeyFileException"/> that names
/// the file, the line and what was expected.
/// </summary>
internal static class KeyFileText
{
    public const string Magic = "cretoai-fast-key";

    /// <summary>The format version this build writes and the newest it reads.</summary>
    public const int Version = 1;

    /// <summary>A v1 public key file is about 5.4 KB; anything far larger is some other file, not read whole.</summary>
    public const int MaxFileBytes = 64 * 1024;

    public const string PublicKeyKindName = "ml-dsa-87-public-key";
    public const string PrivateSeedKindName = "ml-dsa-87-private-seed";

    private const string PublicComment = "# ML-DSA-87 public key (FIPS 204). node-id = SHA3-256(key). Not secret. Format: docs/keys.md";
    private const string PrivateComment = "# ML-DSA-87 private key: the FIPS 204 seed xi. SECRET: keep this file mode 0600. Format: docs/keys.md";

    public static int DataSize(KeyFileKind kind) => kind == KeyFileKind.PublicKey ? MLDsa87.PublicKeySize : MLDsa87.SeedSize;

    public static string KindName(KeyFileKind kind) => kind == KeyFileKind.PublicKey ? PublicKeyKindName : PrivateSeedKindName;

    private static string Describe(KeyFileKind kind) => kind == KeyFileKind.PublicKey ? "an ML-DSA-87 public key file" : "an ML-DSA-87 private key file";

    /// <summary>
    /// The file's bytes (ASCII). For a private key the result holds the seed in hex: the caller
    /// zeroes it once written. No string ever holds the secret part, so it can be wiped.
    /// </summary>
    public static byte[] Encode(KeyFileKind kind, Hash32 nodeId, ReadOnlySpan<byte> data)
    {
        if (data.Length != DataSize(kind))
        {
            throw new ArgumentException($"{KindName(kind)} data is {DataSize(kind)} bytes, got {data.Length}.", nameof(data));
        }

        var head = string.Create(
            CultureInfo.InvariantCulture,
            $"{Magic} v{Version}\n{(kind == KeyFileKind.PublicKey ? PublicComment : PrivateComment)}\nkind: {KindName(kind)}\nnode-id: {nodeId}\ndata: ");
        var chars = new char[head.Length + (data.Length * 2) + 1];
        try
        {
            head.CopyTo(chars);
            if (!Convert.TryToHexStringLower(data, chars.AsSpan(head.Length), out var written) || written != data.Length * 2)
            {
                throw new InvalidOperationException("hex buffer size mismatch");
            }

            chars[^1] = '\n';
            return Encoding.ASCII.GetBytes(chars);
        }
        finally
        {
            Array.Clear(chars);
        }
    }

    /// <summary>
    /// Parses <paramref name="text"/> (the whole file) as a key file of kind <paramref name="expected"/>,
    /// writes the key data into <paramref name="data"/> (exactly <see cref="DataSize"/> bytes) and
    /// returns the node id the file states. The caller checks that id against the key.
    /// </summary>
    public static Hash32 Decode(string path, ReadOnlySpan<char> text, KeyFileKind expected, Span<byte> data)
    {
        if (data.Length != DataSize(expected))
        {
            throw new ArgumentException($"The destination needs {DataSize(expected)} bytes.", nameof(data));
        }

        var headerSeen = false;
        var lineNumber = 0;
        var kindLine = 0;
        var nodeIdLine = 0;
        var dataLine = 0;
        ReadOnlySpan<char> kindValue = default;
        ReadOnlySpan<char> nodeIdValue = default;
        ReadOnlySpan<char> dataValue = default;
        foreach (var rawLine in text.EnumerateLines())
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            if (!headerSeen)
            {
                CheckHeader(path, line, expected);
                headerSeen = true;
                continue;
            }

            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw Format(path, $"line {lineNumber} is not 'name: value'");
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.SequenceEqual("kind"))
            {
                kindLine = Once(path, "kind", kindLine, lineNumber);
                kindValue = value;
            }
            else if (name.SequenceEqual("node-id"))
            {
                nodeIdLine = Once(path, "node-id", nodeIdLine, lineNumber);
                nodeIdValue = value;
            }
            else if (name.SequenceEqual("data"))
            {
                dataLine = Once(path, "data", dataLine, lineNumber);
                dataValue = value;
            }
            else
            {
                throw Format(path, $"line {lineNumber} has unknown field '{Printable(name)}' (v{Version} has kind, node-id, data)");
            }
        }

        if (!headerSeen)
        {
            throw new KeyFileException(KeyFileError.NotAKeyFile, path, $"'{path}' is empty; expected {Describe(expected)} (docs/keys.md)");
        }

        if (kindLine == 0 || nodeIdLine == 0 || dataLine == 0)
        {
            var missing = kindLine == 0 ? "kind" : nodeIdLine == 0 ? "node-id" : "data";
            throw Format(path, $"the '{missing}:' line is missing");
        }

        CheckKind(path, kindValue, expected);

        Span<byte> id = stackalloc byte[Hash32.Size];
        if (!TryHex(nodeIdValue, id, out var idLength) || idLength != Hash32.Size)
        {
            throw new KeyFileException(KeyFileError.BadEncoding, path, $"'{path}' line {nodeIdLine}: node-id must be {Hash32.Size * 2} hex characters");
        }

        if (!TryHexLength(dataValue, out var dataLength))
        {
            throw new KeyFileException(KeyFileError.BadEncoding, path, $"'{path}' line {dataLine}: data is not hex (an even number of 0-9a-f characters)");
        }

        if (dataLength != data.Length)
        {
            throw new KeyFileException(
                KeyFileError.WrongLength,
                path,
                $"'{path}' line {dataLine}: data holds {dataLength} bytes; {KindName(expected)} data is {data.Length} bytes");
        }

        if (!TryHex(dataValue, data, out _))
        {
            throw new KeyFileException(KeyFileError.BadEncoding, path, $"'{path}' line {dataLine}: data is not hex");
        }

        return new Hash32(id);
    }

    private static void CheckHeader(string path, ReadOnlySpan<char> line, KeyFileKind expected)
    {
        var prefix = Magic + " v";
        if (!line.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new KeyFileException(
                KeyFileError.NotAKeyFile,
                path,
                $"'{path}' is not a cretoai-fast key file (its first line is not '{Magic} v{Version}'); expected {Describe(expected)} (docs/keys.md)");
        }

        var digits = line[prefix.Length..];
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            throw Format(path, $"bad version '{Printable(digits)}' on the first line");
        }

        if (version > Version)
        {
            throw new KeyFileException(
                KeyFileError.UnsupportedVersion,
                path,
                $"'{path}' is key file format v{version}, written by a newer cretoai-fast; this build reads v{Version}. Upgrade cretoai-fast to use it.");
        }
    }

    private static void CheckKind(string path, ReadOnlySpan<char> value, KeyFileKind expected)
    {
        KeyFileKind actual;
        if (value.SequenceEqual(PublicKeyKindName))
        {
            actual = KeyFileKind.PublicKey;
        }
        else if (value.SequenceEqual(PrivateSeedKindName))
        {
            actual = KeyFileKind.PrivateSeed;
        }
        else
        {
            throw new KeyFileException(
                KeyFileError.WrongKind,
                path,
                $"'{path}' holds a key of kind '{Printable(value)}'; this build knows {PublicKeyKindName} and {PrivateSeedKindName}");
        }

        if (actual != expected)
        {
            var hint = expected == KeyFileKind.PrivateSeed ? " (the private key is the .key file, not the .pub)" : " (the public key is the .pub file)";
            throw new KeyFileException(KeyFileError.WrongKind, path, $"'{path}' is {Describe(actual)}; expected {Describe(expected)}{hint}");
        }
    }

    private static int Once(string path, string field, int seenOnLine, int lineNumber) =>
        seenOnLine == 0 ? lineNumber : throw Format(path, $"'{field}:' appears twice (lines {seenOnLine} and {lineNumber})");

    private static KeyFileException Format(string path, string what) =>
        new(KeyFileError.BadFormat, path, $"'{path}' is not a valid key file: {what} (docs/keys.md)");

    /// <summary>Byte count of a well-formed hex string, without decoding (no secret copied on error paths).</summary>
    private static bool TryHexLength(ReadOnlySpan<char> hex, out int length)
    {
        length = hex.Length / 2;
        if (hex.Length % 2 != 0)
        {
            return false;
        }

        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryHex(ReadOnlySpan<char> hex, Span<byte> destination, out int written)
    {
        written = 0;
        if (!TryHexLength(hex, out var length) || length > destination.Length)
        {
            return false;
        }

        return Convert.FromHexString(hex, destination[..length], out _, out written) == System.Buffers.OperationStatus.Done;
    }

    /// <summary>Field text echoed in a message, cut short so a binary file does not flood the terminal.</summary>
    private static string Printable(ReadOnlySpan<char> text)
    {
        var cut = text.Length > 40 ? text[..40] : text;
        var chars = new char[cut.Length];
        for (var i = 0; i < cut.Length; i++)
        {
            chars[i] = char.IsAsciiLetterOrDigit(cut[i]) || cut[i] is '-' or '_' or '.' ? cut[i] : '?';
        }

        return new string(chars) + (text.Length > cut.Length ? "..." : string.Empty);
    }
}
