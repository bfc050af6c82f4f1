using CretoAI.Fast.Crypto;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Reputation.Ledger;

/// <summary>
/// What the ML-DSA-87 check of a signed transaction covers, as slices of its envelope: the sender's
/// public key, the signed bytes (header and body), the transaction signature context and the
/// signature. The one recipe for admission (a node's mempool) and for the ledger's apply.
/// </summary>
public static class TransactionSignature
{
    private static readonly byte[] Context = SignedTransaction.SignatureContext.ToArray();

    /// <summary>The check of <paramref name="envelope"/>, already parsed, whose body is <paramref name="bodyLength"/> bytes.</summary>
    public static MLDsa87BatchItem BatchItem(ReadOnlyMemory<byte> envelope, int bodyLength)
    {
        var signed = SignedTransaction.HeaderSize + bodyLength;
        return new MLDsa87BatchItem(
            envelope.Slice(SignedTransaction.HeaderSize - SignedTransaction.PublicKeySize, SignedTransaction.PublicKeySize),
            envelope[..signed],
            Context,
            envelope.Slice(signed, SignedTransaction.SignatureSize));
    }
}
