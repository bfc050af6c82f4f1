namespace CretoAI.Fast.Crypto;

/// <summary>
/// The fast <see cref="ISignatureVerifier"/>: ML-DSA-87 through an <see cref="MLDsa87KeyCache"/>
/// (expanded keys, SIMD arithmetic). Drop-in replacement for <see cref="BouncyCastleMLDsa87.Instance"/>.
/// </summary>
public sealed class MLDsa87SignatureVerifier : ISignatureVerifier
{
    private readonly MLDsa87KeyCache _cache;

    public MLDsa87SignatureVerifier(MLDsa87KeyCache? cache = null) => _cache = cache ?? MLDsa87KeyCache.Shared;

    /// <summary>A verifier over <see cref="MLDsa87KeyCache.Shared"/>.</summary>
    public static MLDsa87SignatureVerifier Instance { get; } = new();

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature) =>
        _cache.Verify(publicKey, message, context, signature);
}
