using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Consensus.Signing;

/// <summary>
/// Consensus verification with ML-DSA-87. <see cref="Fast"/> is the in-house implementation: single
/// checks through the shared expanded-key cache, batches (the signatures of a certificate) through
/// <see cref="MLDsa87BatchVerifier"/> across all cores — the crypto project owns those threads, and
/// the call returns only when every verdict is in, so the engine stays a synchronous state machine.
/// <see cref="BouncyCastle"/> is the reference, checked in order on the calling thread.
/// </summary>
public sealed class MLDsa87ConsensusVerifier : IConsensusVerifier
{
    private readonly ISignatureVerifier _verifier;
    private readonly MLDsa87BatchVerifier? _batch;

    public MLDsa87ConsensusVerifier(ISignatureVerifier verifier, MLDsa87BatchVerifier? batch = null)
    {
        _verifier = verifier ?? throw new ArgumentNullException(nameof(verifier));
        _batch = batch;
    }

    /// <summary>The in-house ML-DSA-87: cached keys, parallel batches.</summary>
    public static MLDsa87ConsensusVerifier Fast { get; } = new(MLDsa87SignatureVerifier.Instance, new MLDsa87BatchVerifier());

    /// <summary>BouncyCastle's ML-DSA-87, one signature at a time: the reference.</summary>
    public static MLDsa87ConsensusVerifier BouncyCastle { get; } = new(BouncyCastleMLDsa87.Instance);

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature) =>
        _verifier.Verify(publicKey, message, context, signature);

    public bool VerifyAll(ReadOnlySpan<SignatureCheck> checks)
    {
        if (_batch is null || checks.Length < 2)
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

        var items = new MLDsa87BatchItem[checks.Length];
        for (var i = 0; i < checks.Length; i++)
        {
            items[i] = new MLDsa87BatchItem(checks[i].PublicKey, checks[i].Message, checks[i].Context, checks[i].Signature);
        }

        foreach (var verdict in _batch.VerifyAll(items))
        {
            if (!verdict)
            {
                return false;
            }
        }

        return true;
    }
}
