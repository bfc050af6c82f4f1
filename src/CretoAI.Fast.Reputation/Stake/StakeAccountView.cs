namespace CretoAI.Fast.Reputation.Stake;

/// <summary>A validator's stake as of a point in chain time (lock and unbonding status depend on it).</summary>
/// <param name="Liquid">Free units: can be bonded.</param>
/// <param name="Bonded">Bonded total, locked part included: the stake behind the validator's voting weight.</param>
/// <param name="Locked">Part of <paramref name="Bonded"/> bonded less than <see cref="StakeRules.BondLockMs"/> ago: cannot be unbonded yet.</param>
/// <param name="Unbonding">Units unbonded and not yet withdrawn (still slashable), matured ones included.</param>
/// <param name="Withdrawable">Part of <paramref name="Unbonding"/> whose unbonding period is over.</param>
/// <param name="SlashedTotal">Units ever slashed from this validator.</param>
/// <param name="Nonce">Nonce of the last applied bond, unbond or withdrawal (0 before the first).</param>
public readonly record struct StakeAccountView(
    ulong Liquid,
    ulong Bonded,
    ulong Locked,
    ulong Unbonding,
    ulong Withdrawable,
    ulong SlashedTotal,
    ulong Nonce);
