namespace CretoAI.Fast.Reputation.Tests.Stake;

internal enum StakeOperationKind
{
    Bond,
    Unbond,
    Withdraw,
    Slash,
}

/// <summary>
/// One step of a generated script. <see cref="Validator"/> may equal the number of accounts (an
/// unknown account); the nonce sent is the account's next nonce + <see cref="NonceSkew"/>; the chain
/// clock moves forward by <see cref="AdvanceMs"/> before the step.
/// </summary>
internal readonly record struct StakeOperation(
    StakeOperationKind Kind,
    int Validator,
    ulong Amount,
    int NonceSkew,
    ulong AdvanceMs,
    int Evidence,
    Offence Offence);
