using CretoAI.Fast.Reputation.Stake;
using CretoAI.Fast.Storage.State;
using static CretoAI.Fast.Reputation.Tests.Stake.StakeTestData;

namespace CretoAI.Fast.Reputation.Tests.Stake;

/// <summary>Every refusal, each checked to leave the state exactly as it was.</summary>
public sealed class StakeRejectionTests
{
    private readonly MemoryReplicatedState _state;
    private readonly StakeManager _manager;

    public StakeRejectionTests()
    {
        // Id(1): 20,000 liquid, 5,000 bonded. Id(2): 600 liquid, nothing bonded.
        _manager = Create(out _state, ShortPeriods, new GenesisStake(Id(1), 20_000, 5_000), new GenesisStake(Id(2), 600, 0));
    }

    [Fact]
    public void Unknown_account()
    {
        var stranger = Id(9);
        AssertRefused(StakeRejection.UnknownAccount, () => _manager.Bond(stranger, 1_000, 1, At(1)));
        AssertRefused(StakeRejection.UnknownAccount, () => _manager.Unbond(stranger, 1_000, 1, At(1)));
        AssertRefused(StakeRejection.UnknownAccount, () => _manager.Withdraw(stranger, 1, At(1)));
        var before = Snapshot();
        var slash = _manager.Slash(stranger, Offence.Equivocation, Evidence(1), At(1));
        Assert.Equal(StakeRejection.UnknownAccount, slash.Rejection);
        Assert.Equal(0UL, slash.Amount);
        AssertUnchanged(before);

        // The evidence was not used up by the refusal.
        Assert.True(_manager.Slash(Id(1), Offence.Equivocation, Evidence(1), At(1)).Applied);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(2UL)]
    [InlineData(ulong.MaxValue)]
    public void Bad_nonce_is_refused_and_does_not_consume_the_nonce(ulong nonce)
    {
        var outcome = AssertRefused(StakeRejection.BadNonce, () => _manager.Bond(Id(1), 1_000, nonce, At(1)));
        Assert.Contains("next nonce 1", outcome.Reason, StringComparison.Ordinal);
        AssertRefused(StakeRejection.BadNonce, () => _manager.Unbond(Id(1), 1_000, nonce, At(1)));
        AssertRefused(StakeRejection.BadNonce, () => _manager.Withdraw(Id(1), nonce, At(1)));
        Assert.True(_manager.Bond(Id(1), 1_000, 1, At(1)).Applied);
        AssertRefused(StakeRejection.BadNonce, () => _manager.Bond(Id(1), 1_000, 1, At(2)));
        Assert.True(_manager.Bond(Id(1), 1_000, 2, At(2)).Applied);
        Assert.Equal(2UL, _manager.GetAccount(Id(1), 0).Nonce);
    }

    [Fact]
    public void Refusals_of_other_kinds_do_not_consume_the_nonce_either()
    {
        AssertRefused(StakeRejection.ZeroAmount, () => _manager.Bond(Id(1), 0, 1, At(1)));
        AssertRefused(StakeRejection.InsufficientBalance, () => _manager.Bond(Id(1), 20_001, 1, At(1)));
        Assert.Equal(0UL, _manager.GetAccount(Id(1), 0).Nonce);
        Assert.True(_manager.Bond(Id(1), 1_000, 1, At(1)).Applied);
    }

    [Fact]
    public void Zero_amount()
    {
        AssertRefused(StakeRejection.ZeroAmount, () => _manager.Bond(Id(1), 0, 1, At(1)));
        AssertRefused(StakeRejection.ZeroAmount, () => _manager.Unbond(Id(1), 0, 1, At(1)));
    }

    [Fact]
    public void Insufficient_balance()
    {
        var bond = AssertRefused(StakeRejection.InsufficientBalance, () => _manager.Bond(Id(1), 20_001, 1, At(1)));
        Assert.Equal("bond of 20,001 exceeds the liquid balance of 20,000", bond.Reason);
        var unbond = AssertRefused(StakeRejection.InsufficientBalance, () => _manager.Unbond(Id(1), 5_001, 1, At(1)));
        Assert.Equal("unbond of 5,001 exceeds the bonded total of 5,000", unbond.Reason);
        AssertRefused(StakeRejection.InsufficientBalance, () => _manager.Unbond(Id(2), 1, 1, At(1)));
    }

    [Fact]
    public void Below_minimum()
    {
        var bond = AssertRefused(StakeRejection.BelowMinimum, () => _manager.Bond(Id(2), 500, 1, At(1)));
        Assert.Equal("bond of 500 would leave 500 bonded, below the minimum of 1,000", bond.Reason);
        var unbond = AssertRefused(StakeRejection.BelowMinimum, () => _manager.Unbond(Id(1), 4_001, 1, At(1)));
        Assert.StartsWith("unbond of 4,001 would leave 999 bonded, below the minimum of 1,000", unbond.Reason, StringComparison.Ordinal);

        // Leaving exactly the minimum, or nothing, is allowed.
        Assert.True(_manager.Unbond(Id(1), 4_000, 1, At(1)).Applied);
        Assert.True(_manager.Unbond(Id(1), 1_000, 2, At(1)).Applied);
        Assert.Equal(0UL, _manager.BondedStake(Id(1)));
    }

    [Fact]
    public void Above_maximum()
    {
        var manager = Create(out var state, StakeRules.Default, new GenesisStake(Id(1), ulong.MaxValue - 1_000_000, 1_000_000));
        var before = (state.Digest, state.Entries());
        var outcome = manager.Bond(Id(1), 1, 1, At(1));
        Assert.Equal(StakeRejection.AboveMaximum, outcome.Rejection);
        Assert.Equal("bond of 1 would leave 1,000,001 bonded, above the maximum of 1,000,000", outcome.Reason);
        Assert.Equal(StakeRejection.AboveMaximum, manager.Bond(Id(1), ulong.MaxValue - 1_000_000, 1, At(1)).Rejection);
        Assert.Equal(before.Digest, state.Digest);
        Assert.Equal(before.Item2.Count, state.Entries().Count);
        Assert.True(manager.Unbond(Id(1), 1_000, 1, At(1)).Applied);
        Assert.True(manager.Bond(Id(1), 1_000, 2, At(1)).Applied);
        Assert.Equal(1_000_000UL, manager.BondedStake(Id(1)));
    }

    [Fact]
    public void Still_locked()
    {
        Assert.True(_manager.Bond(Id(1), 3_000, 1, At(100)).Applied);
        var outcome = AssertRefused(StakeRejection.StillLocked, () => _manager.Unbond(Id(1), 5_001, 2, At(200)));
        Assert.StartsWith("unbond of 5,001 exceeds the unlocked bonded stake of 5,000", outcome.Reason, StringComparison.Ordinal);

        // The unlocked part can go.
        Assert.True(_manager.Unbond(Id(1), 5_000, 2, At(200)).Applied);
        Assert.Equal(new StakeAccountView(17_000, 3_000, 3_000, 5_000, 0, 0, 2), _manager.GetAccount(Id(1), Genesis.TimestampMs + 200));
    }

    [Fact]
    public void Nothing_to_withdraw()
    {
        var none = AssertRefused(StakeRejection.NothingToWithdraw, () => _manager.Withdraw(Id(1), 1, At(1)));
        Assert.Equal("nothing is unbonding", none.Reason);
        Assert.True(_manager.Unbond(Id(1), 2_000, 1, At(100)).Applied);
        AssertRefused(StakeRejection.NothingToWithdraw, () => _manager.Withdraw(Id(1), 2, At(5_000)));
    }

    [Fact]
    public void Too_many_locked_bond_lots()
    {
        var manager = Create(out var state, StakeRules.Default, new GenesisStake(Id(1), 100_000, 0));
        for (ulong i = 1; i <= 16; i++)
        {
            Assert.True(manager.Bond(Id(1), 1_000, i, At(i)).Applied);
        }

        var before = (state.Digest, state.Entries());
        var outcome = manager.Bond(Id(1), 1_000, 17, At(17));
        Assert.Equal(StakeRejection.TooManyPending, outcome.Rejection);
        Assert.Equal(before.Digest, state.Digest);
        AssertSameEntries(before.Item2, state.Entries());

        // A bond in the block of the newest lot joins it; once the oldest lot unlocks there is room again.
        Assert.True(manager.Bond(Id(1), 1_000, 17, At(16)).Applied);
        Assert.Equal(StakeRejection.TooManyPending, manager.Bond(Id(1), 1_000, 18, At(StakeRules.Default.BondLockMs)).Rejection);
        Assert.True(manager.Bond(Id(1), 1_000, 18, At(StakeRules.Default.BondLockMs + 1)).Applied);
        Assert.Equal(18_000UL, manager.BondedStake(Id(1)));
    }

    [Fact]
    public void Too_many_unbonding_entries()
    {
        var manager = Create(out var state, StakeRules.Default, new GenesisStake(Id(1), 0, 100_000));
        for (ulong i = 1; i <= 16; i++)
        {
            Assert.True(manager.Unbond(Id(1), 1_000, i, At(i)).Applied);
        }

        var before = (state.Digest, state.Entries());
        Assert.Equal(StakeRejection.TooManyPending, manager.Unbond(Id(1), 1_000, 17, At(17)).Rejection);
        Assert.Equal(before.Digest, state.Digest);
        AssertSameEntries(before.Item2, state.Entries());
        Assert.True(manager.Unbond(Id(1), 1_000, 17, At(16)).Applied);
        Assert.True(manager.Withdraw(Id(1), 18, At(1 + StakeRules.Default.UnbondingPeriodMs)).Applied);
        Assert.True(manager.Unbond(Id(1), 1_000, 19, At(2 + StakeRules.Default.UnbondingPeriodMs)).Applied);
    }

    [Fact]
    public void Already_slashed()
    {
        var first = _manager.Slash(Id(1), Offence.InvalidSignature, Evidence(7), At(1));
        Assert.Equal(500UL, first.Amount);
        var before = Snapshot();
        foreach (var (validator, offence) in new[] { (Id(1), Offence.InvalidSignature), (Id(1), Offence.Equivocation), (Id(2), Offence.InvalidBlock), (Id(9), Offence.MissedVote) })
        {
            var replay = _manager.Slash(validator, offence, Evidence(7), At(2));
            Assert.Equal(StakeRejection.AlreadySlashed, replay.Rejection);
            Assert.Equal(0UL, replay.Amount);
            Assert.Contains("already punished InvalidSignature", replay.Reason, StringComparison.Ordinal);
            AssertUnchanged(before);
        }
    }

    [Fact]
    public void Undefined_offence_throws_before_writing()
    {
        var before = Snapshot();
        Assert.Throws<ArgumentOutOfRangeException>(() => _manager.Slash(Id(1), (Offence)42, Evidence(1), At(1)));
        AssertUnchanged(before);
    }

    private static void AssertSameEntries(IReadOnlyList<(Core.Hash32 Key, byte[] Value)> expected, IReadOnlyList<(Core.Hash32 Key, byte[] Value)> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Key, actual[i].Key);
            Assert.Equal(expected[i].Value, actual[i].Value);
        }
    }

    private (StateDigest Digest, IReadOnlyList<(Core.Hash32 Key, byte[] Value)> Entries) Snapshot() => (_state.Digest, _state.Entries());

    private void AssertUnchanged((StateDigest Digest, IReadOnlyList<(Core.Hash32 Key, byte[] Value)> Entries) before)
    {
        Assert.Equal(before.Digest, _state.Digest);
        AssertSameEntries(before.Entries, _state.Entries());
    }

    private StakeOutcome AssertRefused(StakeRejection expected, Func<StakeOutcome> operation)
    {
        var before = Snapshot();
        var outcome = operation();
        Assert.Equal(expected, outcome.Rejection);
        Assert.False(outcome.Applied);
        Assert.Equal(0UL, outcome.Amount);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Reason));
        AssertUnchanged(before);
        return outcome;
    }
}
