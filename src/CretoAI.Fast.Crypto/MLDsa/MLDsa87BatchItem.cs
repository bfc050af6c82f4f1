namespace CretoAI.Fast.Crypto;

/// <summary>One signature to check in a batch: ML-DSA.Verify(PublicKey, Message, Context, Signature).</summary>
public readonly record struct MLDsa87BatchItem(ReadOnlyMemory<byte> PublicKey, ReadOnlyMemory<byte> Message, ReadOnlyMemory<byte> Context, ReadOnlyMemory<byte> Signature);
