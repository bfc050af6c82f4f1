using CretoAI.Fast.Reputation.Stake;
using static CretoAI.Fast.Reputation.Tests.Stake.StakeTestData;

namespace CretoAI.Fast.Reputation.Tests.Stake;

public sealed class StakeSlashTests
{
    [Fact]
    public void Seed_known_answer_10000_after_one_of_each_slashable_offence_is_3817()
    {
        var manager = Create(out _, StakeRules.Default, new GenesisStake(Id(1), 0, 10_000));
        var steps = new (Offence Offence, ulong Slashed, ulong Left)[]
        {
            (Offence.Equivocation, 3_000, 7_000),      // 30 % of 10,000
            (Offence.DoubleSignCommit, 1_750, 5_250),  // 25 % of 7,000
            (Offence.InvalidBlock, 787, 4_463),        // 15 % of 5,250 = 787.5, rounded down
            (Offence.InvalidSignature, 446, 4_017),    // 10 % of 4,463 = 446.3
            (Offence.ProlongedDowntime, 200, 3_817),   // 5 % of 4,017 = 200.85
        };
        ulong pool = 0;
        for (var i = 0; i < steps.Length; i++)
        {
            var outcome = manager.Slash(Id(1), steps[i].Offence, Evidence(i), At((ulong)i + 1, (ulong)i + 1));
            Assert.True(outcome.Applied, outcome.Reason);
            Assert.Equal(steps[i].Slashed, outcome.Amount);
            pool += steps[i].Slashed;
            Assert.Equal(steps[i].Left, manager.BondedStake(Id(1)));
            Assert.Equal(pool, manager.SlashPool);
            Assert.Equal(pool, manager.GetAccount(Id(1), 0).SlashedTotal);
            Assert.Equal(10_000UL, manager.TotalSupply);
        }

        Assert.Equal(3_817UL, manager.BondedStake(Id(1)));
        Assert.Equal(6_183UL, manager.SlashPool);
        var history = manager.History(Id(1));
        Assert.Equal(6, history.Count);
        Assert.Equal(new StakeHistoryEntry(StakeEventKind.Slash, 3, Genesis.TimestampMs + 3, 787, Offence.InvalidBlock), history[3]);
    }

    [Fact]
    public void Slash_takes_the_newest_bond_lots_then_unlocked_stake_then_the_newest_unbonding_entries()
    {
        var rules = new StakeRules { BondLockMs = 1_000, UnbondingPeriodMs = 10_000, InvalidBlockSlashPercent = 90 };
        var manager = Create(out _, rules, new GenesisStake(Id(1), 10_000, 4_000));
        Assert.True(manager.Unbond(Id(1), 1_000, 1, At(100)).Applied);  // entry E1
        Assert.True(manager.Unbond(Id(1), 1_000, 2, At(200)).Applied);  // entry E2
        Assert.True(manager.Bond(Id(1), 3_000, 3, At(300)).Applied);    // lot L1
        Assert.True(manager.Bond(Id(1), 1_000, 4, At(400)).Applied);    // lot L2
        var now = Genesis.TimestampMs + 500;
        Assert.Equal(new StakeAccountView(6_000, 6_000, 4_000, 2_000, 0, 0, 4), manager.GetAccount(Id(1), now));

        // 30 % of 8,000 slashable = 2,400: all of L2 (1,000), then 1,400 of L1.
        Assert.Equal(2_400UL, manager.Slash(Id(1), Offence.Equivocation, Evidence(1), At(500)).Amount);
        Assert.Equal(new StakeAccountView(6_000, 3_600, 1_600, 2_000, 0, 2_400, 4), manager.GetAccount(Id(1), now));

        // 90 % of 5,600 = 5,040: L1 (1,600), the unlocked 2,000, E2 (1,000), then 440 of E1.
        Assert.Equal(5_040UL, manager.Slash(Id(1), Offence.InvalidBlock, Evidence(2), At(500)).Amount);
        Assert.Equal(new StakeAccountView(6_000, 0, 0, 560, 0, 7_440, 4), manager.GetAccount(Id(1), now));
        Assert.Equal(7_440UL, manager.SlashPool);
        Assert.Equal(manager.TotalSupply, Accounted(manager, now));

        // What is left of E1 keeps its start time.
        Assert.Equal(StakeRejection.NothingToWithdraw, manager.Withdraw(Id(1), 5, At(10_099)).Rejection);
        Assert.Equal(560UL, manager.Withdraw(Id(1), 5, At(10_100)).Amount);
    }

    [Fact]
    public void Unbonding_stake_stays_slashable_until_withdrawn()
    {
        var manager = Create(out _, ShortPeriods, new GenesisStake(Id(1), 0, 10_000));
        Assert.True(manager.Unbond(Id(1), 10_000, 1, At(1)).Applied);
        Assert.Equal(3_000UL, manager.Slash(Id(1), Offence.Equivocation, Evidence(1), At(20_000)).Amount);
        Assert.Equal(7_000UL, manager.Withdraw(Id(1), 2, At(20_001)).Amount);
        Assert.Equal(0UL, manager.Slash(Id(1), Offence.Equivocation, Evidence(2), At(20_002)).Amount);
        Assert.Equal(new StakeAccountView(7_000, 0, 0, 0, 0, 3_000, 2), manager.GetAccount(Id(1), 0));
    }

    [Theory]
    [InlineData(Offence.MissedProposal)]
    [InlineData(Offence.MissedVote)]
    public void Zero_percent_offences_use_up_the_evidence_and_slash_nothing(Offence offence)
    {
        var manager = Create(out var state, StakeRules.Default, new GenesisStake(Id(1), 0, 10_000));
        var digest = state.Digest;
        var outcome = manager.Slash(Id(1), offence, Evidence(3), At(1));
        Assert.True(outcome.Applied);
        Assert.Equal(0UL, outcome.Amount);
        Assert.NotEqual(digest, state.Digest);
        Assert.Equal(10_000UL, manager.BondedStake(Id(1)));
        Assert.Equal(0UL, manager.SlashPool);
        Assert.Equal(StakeRejection.AlreadySlashed, manager.Slash(Id(1), Offence.Equivocation, Evidence(3), At(2)).Rejection);
        Assert.Equal(10_000UL, manager.BondedStake(Id(1)));
    }

    [Fact]
    public void Slashing_may_leave_less_than_the_minimum_which_can_then_only_be_unbonded_whole()
    {
        var manager = Create(out _, StakeRules.Default, new GenesisStake(Id(1), 0, 1_000));
        Assert.Equal(300UL, manager.Slash(Id(1), Offence.Equivocation, Evidence(1), At(1)).Amount);
        Assert.Equal(StakeRejection.BelowMinimum, manager.Unbond(Id(1), 100, 1, At(2)).Rejection);
        Assert.Equal(700UL, manager.Unbond(Id(1), 700, 1, At(2)).Amount);
    }

    [Fact]
    public void Full_slash_of_the_largest_amounts_does_not_overflow()
    {
        var rules = new StakeRules { MaximumBond = 10_000_000_000, EquivocationSlashPercent = 100 };
        var manager = Create(out _, rules, new GenesisStake(Id(1), ulong.MaxValue - 10_000_000_000, 10_000_000_000));
        Assert.Equal(10_000_000_000UL, manager.Slash(Id(1), Offence.Equivocation, Evidence(1), At(1)).Amount);
        Assert.Equal(0UL, manager.BondedStake(Id(1)));
        Assert.Equal(ulong.MaxValue, Accounted(manager, 0));
    }
}
