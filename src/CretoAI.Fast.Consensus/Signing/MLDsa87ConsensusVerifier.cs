using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Consensus.Signing;

/// <summary>
/// Consensus verification over an ML-DSA-87 <see cref="ISignatureVerifier"/>. The batch is checked in
/// order on the calling thread (this project owns no threads); a parallel batch verifier from the
/// crypto project replaces this adapter at the composition root.
/// </summary>
public sealed class MLDsa87ConsensusVerifier : IConsensusVerifier
{
    private readonly ISignatureVerifier _verifier;

    public MLDsa87ConsensusVerifier(ISignatureVerifier verifier) => _verifier = verifier ?? throw new ArgumentNullException(nameof(verifier));

    public static MLDsa87ConsensusVerifier BouncyCastle { get; } = new(BouncyCastleMLDsa87.Instance);

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature) =>
        _verifier.Verify(publicKey, message, context, signature);

    public bool VerifyAll(ReadOnlySpan<SignatureCheck> checks)
    {
        foreach (var check in checks)
        {
            if (!_verifier.Verify(check.PublicKey.Span, check.Message.Span, check.Context.Span, check.Signature.Span))
            {
                return false;
            }
        }

        return true;
    }
}
