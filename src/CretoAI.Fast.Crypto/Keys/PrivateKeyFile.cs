using System.Security.Cryptography;

namespace CretoAI.Fast.Crypto.Keys;

/// <summary>
/// Private key files (<c>*.key</c>, docs/keys.md): the 32-byte FIPS 204 seed ξ from which the key
/// pair is derived, plus the node id as a check. Written with mode 0600 from creation; a file that
/// group or others may access is refused on load, the way ssh refuses such keys.
/// </summary>
public static class PrivateKeyFile
{
    /// <summary>
    /// Loads the key pair in <paramref name="path"/>; throws <see cref="KeyFileException"/> with the
    /// reason. The public key is re-derived from the seed and its hash must equal the stated node id,
    /// which catches a damaged seed (any 32 bytes are a valid seed, so nothing else would).
    /// </summary>
    public static KeyPair Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = KeyFileStorage.ReadText(path, KeyFileKind.PrivateSeed, out var length, out var mode);
        Span<byte> seed = stackalloc byte[MLDsa87.SeedSize];
        try
        {
            Core.Hash32 stated = default;
            KeyFileException? malformed = null;
            try
            {
                stated = KeyFileText.Decode(path, text.AsSpan(0, length), KeyFileKind.PrivateSeed, seed);
            }
            catch (KeyFileException ex)
            {
                malformed = ex;
            }

            // A file that is not a private key at all (a .pub given by mistake) gets that message
            // rather than a permission complaint; any private key file is refused if exposed, even a
            // malformed one, since the operator must fix its mode either way.
            if (malformed is { Error: KeyFileError.WrongKind or KeyFileError.NotAKeyFile })
            {
                throw malformed;
            }

            KeyFileStorage.CheckPrivateMode(path, mode);
            if (malformed is not null)
            {
                throw malformed;
            }

            var pair = KeyPair.FromSeed(seed);
            if (pair.NodeId != stated)
            {
                pair.Dispose();
                throw new KeyFileException(
                    KeyFileError.NodeIdMismatch,
                    path,
                    $"'{path}' states node-id {stated.ToShortString()}... but its seed derives {pair.NodeId.ToShortString()}...: the file is damaged or was edited");
            }

            return pair;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
            KeyFileStorage.Release(text, length);
        }
    }

    /// <summary>Writes the seed to <paramref name="path"/> atomically with mode 0600 (derives the node id from it).</summary>
    public static void Write(string path, ReadOnlySpan<byte> seed, bool overwrite)
    {
        using var pair = KeyPair.FromSeed(seed);
        pair.WritePrivateKeyFile(path, overwrite);
    }

    internal static void Write(string path, ReadOnlySpan<byte> seed, Core.Hash32 nodeId, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(path);
        var content = KeyFileText.Encode(KeyFileKind.PrivateSeed, nodeId, seed);
        try
        {
            KeyFileStorage.WriteAtomically(path, content, KeyFileStorage.PrivateMode, overwrite);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }
}
