namespace CretoAI.Fast.Crypto;

/// <summary>
/// Checks ML-DSA-87 signatures (FIPS 204 "pure" interface with a context string). Implementations
/// return false, never throw, for a wrong length, a malformed encoding or an invalid signature, and
/// are safe to call from many threads at once.
/// </summary>
public interface ISignatureVerifier
{
    bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature);
}
