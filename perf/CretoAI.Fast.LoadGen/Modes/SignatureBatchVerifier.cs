using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.LoadGen.Modes;

/// <summary>
/// The one seam between verify mode and the verifier it measures. Each batch is checked one
/// signature at a time through <see cref="ISignatureVerifier"/>, by default the in-house ML-DSA-87
/// through the shared expanded-key cache (<see cref="MLDsa87SignatureVerifier"/>, the per-core work
/// of <see cref="MLDsa87BatchVerifier"/>); parallelism comes from running one batch per worker on
/// every core, so each worker's latency is its own batch's.
/// </summary>
internal sealed class SignatureBatchVerifier
{
    private readonly ISignatureVerifier _verifier;

    public SignatureBatchVerifier(ISignatureVerifier verifier) => _verifier = verifier;

    public string Description => _verifier.GetType().Name;

    public static SignatureBatchVerifier CreateDefault() => new(MLDsa87SignatureVerifier.Instance);

    /// <summary>Verifies items [start, start + count) of <paramref name="set"/> (wrapping around); returns how many are valid.</summary>
    public int VerifyBatch(SignedMessageSet set, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(set);
        var valid = 0;
        for (var i = 0; i < count; i++)
        {
            var item = (start + i) % set.Count;
            if (_verifier.Verify(set.PublicKey(item), set.Message(item), SignedMessageSet.Context, set.Signature(item)))
            {
                valid++;
            }
        }

        return valid;
    }
}
