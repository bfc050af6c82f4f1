namespace CretoAI.Fast.Reputation.Stake;

/// <summary>
/// Why the stake manager refused an operation. A refused operation changes no state (not even the
/// nonce); the block that carried it stays valid. Reported to clients: never renumber.
/// </summary>
public enum StakeRejection : byte
{
    /// <summary>Applied.</summary>
    None = 0,

    /// <summary>The validator has no stake account (accounts are created at genesis only).</summary>
    UnknownAccount = 1,

    /// <summary>The nonce is not exactly the account's last nonce + 1.</summary>
    BadNonce = 2,

    /// <summary>A bond or unbond of 0.</summary>
    ZeroAmount = 3,

    /// <summary>A bond above the liquid balance, or an unbond above the bonded total.</summary>
    InsufficientBalance = 4,

    /// <summary>The bonded total would end between 0 and <see cref="StakeRules.MinimumBond"/> (exclusive).</summary>
    BelowMinimum = 5,

    /// <summary>The bonded total would exceed <see cref="StakeRules.MaximumBond"/>.</summary>
    AboveMaximum = 6,

    /// <summary>An unbond above the bonded stake that is past its <see cref="StakeRules.BondLockMs"/>.</summary>
    StillLocked = 7,

    /// <summary>A withdrawal while no unbonding entry has completed its <see cref="StakeRules.UnbondingPeriodMs"/>.</summary>
    NothingToWithdraw = 8,

    /// <summary>A bond while <see cref="StakeRules.MaxPendingEntries"/> lots are locked, or an unbond while as many entries are unbonding.</summary>
    TooManyPending = 9,

    /// <summary>A slash with evidence that was already used.</summary>
    AlreadySlashed = 10,
}
