namespace CretoAI.Fast.Wire.Client;

/// <summary>
/// The node's verdict on a submitted transaction, sent back in the submit result. Values are
/// stable wire codes (one byte); new reasons get new numbers.
/// </summary>
public enum SubmitStatus : byte
{
    /// <summary>Verified and admitted to the mempool.</summary>
    Accepted = 0,

    /// <summary>Already in the mempool or already committed; not admitted twice.</summary>
    Duplicate = 1,

    /// <summary>The mempool is full (count or bytes); retry later. It never grows past its bound.</summary>
    Busy = 2,

    /// <summary>The envelope could not be parsed (lengths, version, kind).</summary>
    Malformed = 3,

    /// <summary>The ML-DSA-87 signature does not verify for the sender's key.</summary>
    BadSignature = 4,

    /// <summary>Signed for another chain id.</summary>
    WrongChain = 5,

    /// <summary>Larger than the node's transaction size limit.</summary>
    TooLarge = 6,

    /// <summary>The node is stopping or catching up and does not accept transactions now.</summary>
    Unavailable = 7,
}
