using CretoAI.Fast.Core;
using CretoAI.Fast.Reputation.Stake;
using CretoAI.Fast.Storage.State;
using static CretoAI.Fast.Reputation.Tests.Stake.StakeTestData;

namespace CretoAI.Fast.Reputation.Tests.Stake;

public sealed class StakeGenesisTests
{
    [Fact]
    public void Genesis_creates_the_accounts_and_fixes_the_supply()
    {
        var manager = Create(out _, StakeRules.Default, new GenesisStake(Id(2), 500, 10_000), new GenesisStake(Id(1), 7, 0));
        Assert.True(manager.IsInitialized);
        Assert.Equal(10_507UL, manager.TotalSupply);
        Assert.Equal(0UL, manager.SlashPool);
        Assert.Equal(new StakeAccountView(500, 10_000, 0, 0, 0, 0, 0), manager.GetAccount(Id(2), Genesis.TimestampMs));
        Assert.Equal(new StakeAccountView(7, 0, 0, 0, 0, 0, 0), manager.GetAccount(Id(1), Genesis.TimestampMs));
        Assert.Equal(10_000UL, manager.BondedStake(Id(2)));
        Assert.Equal(0UL, manager.BondedStake(Id(3)));
        Assert.False(manager.HasAccount(Id(3)));
        Assert.Throws<KeyNotFoundException>(() => manager.GetAccount(Id(3), 0));
        Assert.Equal([new StakeHistoryEntry(StakeEventKind.Genesis, Genesis.Height, Genesis.TimestampMs, 10_000, null)], manager.History(Id(2)));
        Assert.Empty(manager.History(Id(3)));
    }

    [Fact]
    public void Validators_are_listed_in_id_byte_order_whatever_the_genesis_order()
    {
        // Enough accounts for several directory pages.
        var accounts = new List<GenesisStake>();
        for (var n = 199; n >= 0; n -= 2)
        {
            accounts.Add(new GenesisStake(Id(n), 1, 0));
        }

        var manager = Create(out var state, StakeRules.Default, [.. accounts]);
        var expected = new List<Hash32>();
        for (var n = 1; n <= 199; n += 2)
        {
            expected.Add(Id(n));
        }

        Assert.Equal(expected, manager.Validators);
        Assert.Equal(expected, new StakeManager(state, StakeRules.Default).Validators);
    }

    [Fact]
    public void Genesis_bonds_are_unlocked_at_once()
    {
        var manager = Create(out _, StakeRules.Default, new GenesisStake(Id(1), 0, 5_000));
        Assert.Equal(0UL, manager.GetAccount(Id(1), Genesis.TimestampMs).Locked);
        var outcome = manager.Unbond(Id(1), 5_000, 1, Genesis);
        Assert.True(outcome.Applied, outcome.Reason);
        Assert.Equal(5_000UL, outcome.Amount);
    }

    [Fact]
    public void Genesis_refuses_a_duplicate_validator_and_writes_nothing()
    {
        var state = new MemoryReplicatedState();
        var manager = new StakeManager(state, StakeRules.Default);
        var e = Assert.Throws<StakeGenesisException>(() => manager.InitializeGenesis(
            [new GenesisStake(Id(1), 1, 0), new GenesisStake(Id(2), 1, 0), new GenesisStake(Id(1), 5, 0)], Genesis));
        Assert.Contains("more than one", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, state.Count);
        Assert.False(manager.IsInitialized);
    }

    [Theory]
    [InlineData(999UL)]
    [InlineData(1_000_001UL)]
    public void Genesis_refuses_a_bond_outside_the_limits(ulong bonded)
    {
        var state = new MemoryReplicatedState();
        var manager = new StakeManager(state, StakeRules.Default);
        var e = Assert.Throws<StakeGenesisException>(() => manager.InitializeGenesis([new GenesisStake(Id(1), 0, bonded)], Genesis));
        Assert.Contains("1,000..1,000,000", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, state.Count);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1_000UL)]
    [InlineData(1_000_000UL)]
    public void Genesis_accepts_no_bond_or_a_bond_at_the_limits(ulong bonded)
    {
        var manager = Create(out _, StakeRules.Default, new GenesisStake(Id(1), 0, bonded));
        Assert.Equal(bonded, manager.BondedStake(Id(1)));
    }

    [Fact]
    public void Genesis_refuses_more_than_the_maximum_number_of_accounts()
    {
        var rules = new StakeRules { MaxAccounts = 2 };
        var manager = new StakeManager(new MemoryReplicatedState(), rules);
        var e = Assert.Throws<StakeGenesisException>(() => manager.InitializeGenesis(
            [new GenesisStake(Id(1), 1, 0), new GenesisStake(Id(2), 1, 0), new GenesisStake(Id(3), 1, 0)], Genesis));
        Assert.Contains("at most 2", e.Message, StringComparison.Ordinal);
        Create(out _, rules, new GenesisStake(Id(1), 1, 0), new GenesisStake(Id(2), 1, 0));
    }

    [Fact]
    public void Genesis_refuses_a_supply_beyond_64_bits()
    {
        var manager = new StakeManager(new MemoryReplicatedState(), StakeRules.Default);
        Assert.Throws<StakeGenesisException>(() => manager.InitializeGenesis(
            [new GenesisStake(Id(1), ulong.MaxValue - 999, 1_000), new GenesisStake(Id(2), 1, 0)], Genesis));
        Create(out _, StakeRules.Default, new GenesisStake(Id(1), ulong.MaxValue - 1_000, 1_000));
    }

    [Fact]
    public void Genesis_runs_once_per_state()
    {
        var manager = Create(out var state, StakeRules.Default, new GenesisStake(Id(1), 1, 0));
        var digest = state.Digest;
        Assert.Throws<InvalidOperationException>(() => manager.InitializeGenesis([new GenesisStake(Id(2), 1, 0)], Genesis));
        Assert.Throws<InvalidOperationException>(() => new StakeManager(state, StakeRules.Default).InitializeGenesis([], Genesis));
        Assert.Equal(digest, state.Digest);
    }

    [Fact]
    public void Before_genesis_there_are_no_accounts()
    {
        var state = new MemoryReplicatedState();
        var manager = new StakeManager(state, StakeRules.Default);
        Assert.False(manager.IsInitialized);
        Assert.Empty(manager.Validators);
        Assert.Equal(0UL, manager.TotalSupply);
        Assert.Equal(StakeRejection.UnknownAccount, manager.Bond(Id(1), 1_000, 1, Genesis).Rejection);
        Assert.Equal(StakeRejection.UnknownAccount, manager.Slash(Id(1), Offence.Equivocation, Evidence(1), Genesis).Rejection);
        Assert.Equal(0, state.Count);
    }
}
