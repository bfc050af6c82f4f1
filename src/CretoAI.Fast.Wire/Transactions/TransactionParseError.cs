namespace CretoAI.Fast.Wire.Transactions;

/// <summary>Why bytes are not a well-formed <see cref="SignedTransaction"/>.</summary>
public enum TransactionParseError : byte
{
    None = 0,
    Truncated = 1,
    UnsupportedVersion = 2,
    UnknownKind = 3,
    ReservedNotZero = 4,
    BodyTooLarge = 5,
    TrailingBytes = 6,
}
