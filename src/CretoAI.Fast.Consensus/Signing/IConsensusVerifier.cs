namespace CretoAI.Fast.Consensus.Signing;

/// <summary>
/// Checks signatures for consensus. Returns false, never throws, for malformed or invalid input.
/// <see cref="VerifyAll"/> is the batch entry point a parallel verifier plugs into.
/// </summary>
public interface IConsensusVerifier
{
    bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature);

    /// <summary>True only when every check in the batch is valid.</summary>
    bool VerifyAll(ReadOnlySpan<SignatureCheck> checks);
}
