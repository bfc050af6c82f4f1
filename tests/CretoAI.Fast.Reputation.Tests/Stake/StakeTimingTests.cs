using CretoAI.Fast.Reputation.Stake;
using static CretoAI.Fast.Reputation.Tests.Stake.StakeTestData;

namespace CretoAI.Fast.Reputation.Tests.Stake;

/// <summary>The lock and the unbonding period end exactly at start + period, in chain time.</summary>
public sealed class StakeTimingTests
{
    private const ulong BondedAt = 5_000;

    [Fact]
    public void A_bond_unlocks_exactly_when_the_lock_period_has_passed()
    {
        var rules = StakeRules.Default;
        var manager = Create(out var state, rules, new GenesisStake(Id(1), 10_000, 0));
        Assert.True(manager.Bond(Id(1), 2_000, 1, At(BondedAt)).Applied);
        var unlockMs = Genesis.TimestampMs + BondedAt + rules.BondLockMs;

        Assert.Equal(2_000UL, manager.GetAccount(Id(1), unlockMs - 1).Locked);
        Assert.Equal(0UL, manager.GetAccount(Id(1), unlockMs).Locked);
        Assert.Equal(2_000UL, manager.GetAccount(Id(1), unlockMs).Bonded);

        var digest = state.Digest;
        Assert.Equal(StakeRejection.StillLocked, manager.Unbond(Id(1), 2_000, 2, At(BondedAt + rules.BondLockMs - 1)).Rejection);
        Assert.Equal(digest, state.Digest);
        var outcome = manager.Unbond(Id(1), 2_000, 2, At(BondedAt + rules.BondLockMs));
        Assert.True(outcome.Applied, outcome.Reason);
    }

    [Fact]
    public void Unbonded_stake_is_withdrawable_exactly_when_the_period_has_passed()
    {
        var rules = StakeRules.Default;
        var manager = Create(out var state, rules, new GenesisStake(Id(1), 0, 3_000));
        Assert.True(manager.Unbond(Id(1), 3_000, 1, At(BondedAt)).Applied);
        var maturesMs = Genesis.TimestampMs + BondedAt + rules.UnbondingPeriodMs;

        Assert.Equal(new StakeAccountView(0, 0, 0, 3_000, 0, 0, 1), manager.GetAccount(Id(1), maturesMs - 1));
        Assert.Equal(new StakeAccountView(0, 0, 0, 3_000, 3_000, 0, 1), manager.GetAccount(Id(1), maturesMs));

        var digest = state.Digest;
        var early = manager.Withdraw(Id(1), 2, At(BondedAt + rules.UnbondingPeriodMs - 1));
        Assert.Equal(StakeRejection.NothingToWithdraw, early.Rejection);
        Assert.Contains($"matures at {maturesMs:N0} ms", early.Reason, StringComparison.Ordinal);
        Assert.Equal(digest, state.Digest);

        var outcome = manager.Withdraw(Id(1), 2, At(BondedAt + rules.UnbondingPeriodMs));
        Assert.Equal(3_000UL, outcome.Amount);
        Assert.Equal(new StakeAccountView(3_000, 0, 0, 0, 0, 0, 2), manager.GetAccount(Id(1), maturesMs));
    }

    [Fact]
    public void Withdraw_takes_only_the_matured_entries()
    {
        var manager = Create(out _, ShortPeriods, new GenesisStake(Id(1), 0, 10_000));
        Assert.True(manager.Unbond(Id(1), 1_000, 1, At(100)).Applied);
        Assert.True(manager.Unbond(Id(1), 2_000, 2, At(200)).Applied);
        Assert.True(manager.Unbond(Id(1), 3_000, 3, At(300)).Applied);

        var outcome = manager.Withdraw(Id(1), 4, At(10_200));
        Assert.Equal(3_000UL, outcome.Amount);
        Assert.Equal(new StakeAccountView(3_000, 4_000, 0, 3_000, 0, 0, 4), manager.GetAccount(Id(1), Genesis.TimestampMs + 10_200));
        Assert.Equal(3_000UL, manager.Withdraw(Id(1), 5, At(10_300)).Amount);
    }

    [Fact]
    public void Bonds_in_one_block_share_a_lot_and_a_zero_lock_unlocks_at_once()
    {
        var manager = Create(out _, ShortPeriods, new GenesisStake(Id(1), 10_000, 0));
        Assert.True(manager.Bond(Id(1), 1_000, 1, At(100)).Applied);
        Assert.True(manager.Bond(Id(1), 1_000, 2, At(100)).Applied);
        Assert.Equal(2_000UL, manager.GetAccount(Id(1), Genesis.TimestampMs + 1_099).Locked);
        Assert.Equal(0UL, manager.GetAccount(Id(1), Genesis.TimestampMs + 1_100).Locked);

        var unlocked = Create(out _, new StakeRules { BondLockMs = 0 }, new GenesisStake(Id(1), 10_000, 0));
        Assert.True(unlocked.Bond(Id(1), 4_000, 1, At(100)).Applied);
        Assert.True(unlocked.Unbond(Id(1), 4_000, 2, At(100)).Applied);
    }

    [Fact]
    public void History_keeps_the_last_entries_oldest_first()
    {
        var rules = new StakeRules { HistoryLength = 3, BondLockMs = 0 };
        var manager = Create(out _, rules, new GenesisStake(Id(1), 10_000, 0));
        Assert.True(manager.Bond(Id(1), 1_000, 1, At(10, 1)).Applied);
        Assert.True(manager.Bond(Id(1), 1_000, 2, At(20, 2)).Applied);
        Assert.True(manager.Unbond(Id(1), 2_000, 3, At(30, 3)).Applied);
        Assert.Equal(
            [
                new StakeHistoryEntry(StakeEventKind.Bond, 1, Genesis.TimestampMs + 10, 1_000, null),
                new StakeHistoryEntry(StakeEventKind.Bond, 2, Genesis.TimestampMs + 20, 1_000, null),
                new StakeHistoryEntry(StakeEventKind.Unbond, 3, Genesis.TimestampMs + 30, 2_000, null),
            ],
            manager.History(Id(1)));
        Assert.True(manager.Slash(Id(1), Offence.MissedVote, Evidence(1), At(40, 4)).Applied);
        var history = manager.History(Id(1));
        Assert.Equal(3, history.Count);
        Assert.Equal(new StakeHistoryEntry(StakeEventKind.Slash, 4, Genesis.TimestampMs + 40, 0, Offence.MissedVote), history[^1]);
        Assert.Equal(StakeEventKind.Bond, history[0].Kind);
    }
}
