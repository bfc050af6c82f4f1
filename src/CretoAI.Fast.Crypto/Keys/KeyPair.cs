using System.Security.Cryptography;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Crypto.Keys;

/// <summary>
/// A node's or client's ML-DSA-87 identity held in memory: the seed, the derived secret and public
/// keys and <see cref="NodeId"/> = SHA3-256(public key). Load one from a private key file with
/// <see cref="Load"/> and hand it to anything that takes an <see cref="IMessageSigner"/>. Signing is
/// safe from many threads; <see cref="Dispose"/> wipes the secret material.
/// </summary>
public sealed class KeyPair : IMessageSigner, IDisposable
{
    private readonly byte[] _seed;
    private readonly MLDsa87Signer _signer;
    private bool _disposed;

    private KeyPair(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != MLDsa87.SeedSize)
        {
            throw new ArgumentException($"An ML-DSA-87 seed is {MLDsa87.SeedSize} bytes, got {seed.Length}.", nameof(seed));
        }

        // The seed is kept (unlike in a bare signer) because it is what a private key file stores.
        _seed = seed.ToArray();
        _signer = new MLDsa87Signer(seed);
    }

    public ReadOnlyMemory<byte> PublicKey => _signer.PublicKey;

    public Hash32 NodeId => _signer.NodeId;

    /// <summary>The key pair FIPS 204 derives from <paramref name="seed"/> (ξ, 32 bytes).</summary>
    public static KeyPair FromSeed(ReadOnlySpan<byte> seed) => new(seed);

    /// <summary>A fresh key pair from 32 bytes of the operating system's CSPRNG.</summary>
    public static KeyPair Generate()
    {
        Span<byte> seed = stackalloc byte[MLDsa87.SeedSize];
        RandomBytes.Fill(seed);
        try
        {
            return new KeyPair(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Loads a private key file; see <see cref="PrivateKeyFile.Read"/> for the checks.</summary>
    public static KeyPair Load(string privateKeyPath) => PrivateKeyFile.Read(privateKeyPath);

    /// <summary>Hedged signature (fresh randomness per signature), as FIPS 204 recommends.</summary>
    public int Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, Span<byte> signature) =>
        Sign(message, context, signature, deterministic: false);

    /// <summary>Signs; <paramref name="deterministic"/> gives the same signature for the same inputs (FIPS 204 deterministic variant).</summary>
    public int Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, Span<byte> signature, bool deterministic) =>
        _signer.Sign(message, context, signature, deterministic);

    /// <summary>Writes this pair's private key file (mode 0600, atomic); see <see cref="PrivateKeyFile"/>.</summary>
    public void WritePrivateKeyFile(string path, bool overwrite)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        PrivateKeyFile.Write(path, _seed, NodeId, overwrite);
    }

    /// <summary>Writes this pair's public key file (mode 0644, atomic); see <see cref="PublicKeyFile"/>.</summary>
    public void WritePublicKeyFile(string path, bool overwrite) => PublicKeyFile.Write(path, _signer.PublicKey.Span, overwrite);

    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_seed);
        _signer.Dispose();
    }
}
