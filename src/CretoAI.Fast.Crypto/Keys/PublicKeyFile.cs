namespace CretoAI.Fast.Crypto.Keys;

/// <summary>
/// Public key files (<c>*.pub</c>, docs/keys.md): the 2,592-byte ML-DSA-87 public key and its node id.
/// Reading checks the stated node id against SHA3-256 of the key, so a damaged file is caught here.
/// </summary>
public static class PublicKeyFile
{
    /// <summary>Reads the public key in <paramref name="path"/>; throws <see cref="KeyFileException"/> with the reason.</summary>
    public static byte[] Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = KeyFileStorage.ReadText(path, KeyFileKind.PublicKey, out var length, out _);
        try
        {
            var publicKey = new byte[MLDsa87.PublicKeySize];
            var stated = KeyFileText.Decode(path, text.AsSpan(0, length), KeyFileKind.PublicKey, publicKey);
            var actual = Sha3.Hash256(publicKey);
            if (stated != actual)
            {
                throw new KeyFileException(
                    KeyFileError.NodeIdMismatch,
                    path,
                    $"'{path}' states node-id {stated.ToShortString()}... but its key hashes to {actual.ToShortString()}...: the file is damaged or was edited");
            }

            return publicKey;
        }
        finally
        {
            KeyFileStorage.Release(text, length);
        }
    }

    /// <summary>Writes <paramref name="publicKey"/> to <paramref name="path"/> atomically with mode 0644.</summary>
    public static void Write(string path, ReadOnlySpan<byte> publicKey, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (publicKey.Length != MLDsa87.PublicKeySize)
        {
            throw new ArgumentException($"An ML-DSA-87 public key is {MLDsa87.PublicKeySize} bytes, got {publicKey.Length}.", nameof(publicKey));
        }

        var content = KeyFileText.Encode(KeyFileKind.PublicKey, Sha3.Hash256(publicKey), publicKey);
        KeyFileStorage.WriteAtomically(path, content, KeyFileStorage.PublicMode, overwrite);
    }
}
