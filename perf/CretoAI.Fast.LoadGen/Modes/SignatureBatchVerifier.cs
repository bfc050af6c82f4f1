using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.LoadGen.Modes;

/// <summary>
/// The one seam between verify mode and the verifier it measures. Today each batch is checked one
/// signature at a time through <see cref="ISignatureVerifier"/> (BouncyCastle's ML-DSA-87);
/// parallelism comes from running one batch per worker on every core. When the fast ML-DSA-87
/// batch verifier lands, only <see cref="CreateDefault"/> and <see cref="VerifyBatch"/> change.
/// </summary>
internal sealed class SignatureBatchVerifier
{
    private readonly ISignatureVerifier _verifier;

    public SignatureBatchVerifier(ISignatureVerifier verifier) => _verifier = verifier;

    public string Description => _verifier.GetType().Name;

    public static SignatureBatchVerifier CreateDefault() => new(BouncyCastleMLDsa87.Instance);

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
