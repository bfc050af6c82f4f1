using System.Security.Cryptography;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Wire.Transactions;

/// <summary>
/// The id of a transaction: SHA3-256 of the whole encoded envelope, signature included, exactly as
/// it is submitted and carried in blocks. Clients compute it before submitting (the node answers
/// with the same id), and commit notices list it, so a client can follow its transaction without
/// asking the node. ML-DSA signatures are hedged (randomised), so signing the same content twice
/// gives two different ids; each is a distinct transaction, and the nonce keeps only one valid.
/// </summary>
public static class TransactionIds
{
    /// <summary>SHA3-256 of <paramref name="envelope"/>, whatever its content (also for bytes that do not parse).</summary>
    public static Hash32 Of(ReadOnlySpan<byte> envelope)
    {
        // The platform's SHA3 (OpenSSL on Linux), as in the Crypto layer; Wire does not reference Crypto.
        Span<byte> digest = stackalloc byte[Hash32.Size];
        SHA3_256.HashData(envelope, digest);
        return new Hash32(digest);
    }
}
