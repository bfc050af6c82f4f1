namespace CretoAI.Fast.Reputation.Stake;

/// <summary>
/// Units that entered a state at one chain time: a bond lot (locked until <see cref="SinceMs"/> +
/// <see cref="StakeRules.BondLockMs"/>) or an unbonding entry (withdrawable from <see cref="SinceMs"/>
/// + <see cref="StakeRules.UnbondingPeriodMs"/>).
/// </summary>
internal readonly record struct StakeLot(ulong Amount, ulong SinceMs)
{
    /// <summary>
    /// True when <paramref name="periodMs"/> has passed since <see cref="SinceMs"/> at <paramref name="nowMs"/>.
    /// Written as a difference so it cannot overflow; a time before <see cref="SinceMs"/> has not matured.
    /// </summary>
    public bool MaturedAt(ulong nowMs, ulong periodMs) => nowMs >= SinceMs && nowMs - SinceMs >= periodMs;
}
