namespace CretoAI.Fast.Consensus.Signing;

/// <summary>One (key, message, context, signature) to verify, as an element of a batch.</summary>
public readonly record struct SignatureCheck(
    ReadOnlyMemory<byte> PublicKey,
    ReadOnlyMemory<byte> Message,
    ReadOnlyMemory<byte> Context,
    ReadOnlyMemory<byte> Signature);
