using System.Security.Cryptography;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// The fast <see cref="IMessageSigner"/>: an ML-DSA-87 key pair from a 32-byte seed, signing hedged
/// (fresh randomness per signature) unless asked to be deterministic. Drop-in replacement for
/// <see cref="BouncyCastleMLDsa87.CreateSigner"/>; <see cref="Keys.KeyPair"/> builds on it. <see cref="Dispose"/>
/// wipes the secret key.
/// </summary>
public sealed class MLDsa87Signer : IMessageSigner, IDisposable
{
    private bool _disposed;

    private readonly byte[] _secretKey = new byte[MLDsa87.SecretKeySize];

    /// <summary>Derives the key pair from <paramref name="seed"/> (FIPS 204 ξ); throws <see cref="ArgumentException"/> unless it is 32 bytes.</summary>
    public MLDsa87Signer(ReadOnlySpan<byte> seed)
    {
        var publicKey = new byte[MLDsa87.PublicKeySize];
        MLDsa87.GenerateKeyPair(seed, publicKey, _secretKey);
        PublicKey = publicKey;
        NodeId = Sha3.Hash256(publicKey);
    }

    /// <summary>A signer for a fresh random key pair.</summary>
    public static MLDsa87Signer Generate()
    {
        Span<byte> seed = stackalloc byte[MLDsa87.SeedSize];
        RandomBytes.Fill(seed);
        try
        {
            return new MLDsa87Signer(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    public ReadOnlyMemory<byte> PublicKey { get; }

    public Hash32 NodeId { get; }

    public int Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, Span<byte> signature) =>
        Sign(message, context, signature, deterministic: false);

    /// <summary>Signs; <paramref name="deterministic"/> gives the same signature for the same inputs (FIPS 204 deterministic variant).</summary>
    public int Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, Span<byte> signature, bool deterministic)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return MLDsa87.Sign(_secretKey, message, context, signature, deterministic);
    }

    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_secretKey);
    }
}
