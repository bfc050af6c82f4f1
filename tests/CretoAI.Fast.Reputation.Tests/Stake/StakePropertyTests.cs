using CretoAI.Fast.Reputation.Stake;
using CretoAI.Fast.Storage.State;
using CsCheck;
using static CretoAI.Fast.Reputation.Tests.Stake.StakeTestData;

namespace CretoAI.Fast.Reputation.Tests.Stake;

/// <summary>
/// Random scripts of bonds, unbonds, withdrawals and slashes (repeated evidence ids, bad nonces,
/// unknown accounts, times around every boundary), checked step by step against the invariants and
/// against a replica fed the same script.
/// </summary>
public sealed class StakePropertyTests
{
    [Fact]
    public void Random_scripts_keep_every_invariant_with_small_rules() =>
        StakeScripts.Script(StakeScripts.SmallRules, 80).Sample(s => Check(StakeScripts.SmallRules, s.Genesis, s.Operations), iter: 250);

    [Fact]
    public void Random_scripts_keep_every_invariant_with_the_seed_rules()
    {
        var rules = StakeRules.Default;
        StakeScripts.Script(rules, 60).Sample(s => Check(rules, s.Genesis, s.Operations), iter: 100);
    }

    [Fact]
    public void Two_replicas_fed_the_same_script_hold_identical_bytes()
    {
        StakeScripts.Script(StakeScripts.SmallRules, 80).Sample(s =>
        {
            var a = new StakeDriver(new MemoryReplicatedState(), StakeScripts.SmallRules, s.Genesis);
            var b = new StakeDriver(new MemoryReplicatedState(), StakeScripts.SmallRules, s.Genesis);
            for (var i = 0; i < s.Operations.Length; i++)
            {
                Assert.Equal(a.Apply(s.Operations[i]), b.Apply(s.Operations[i]));
                if (i % 7 == 3)
                {
                    b.Reopen(StakeScripts.SmallRules); // a restarted replica rebuilds its cache from the state
                }
            }

            AssertIdentical((MemoryReplicatedState)a.State, (MemoryReplicatedState)b.State);
        }, iter: 150);
    }

    internal static void AssertIdentical(MemoryReplicatedState a, MemoryReplicatedState b)
    {
        Assert.Equal(a.Digest, b.Digest);
        var x = a.Entries();
        var y = b.Entries();
        Assert.Equal(x.Count, y.Count);
        for (var i = 0; i < x.Count; i++)
        {
            Assert.Equal(x[i].Key, y[i].Key);
            Assert.Equal(x[i].Value, y[i].Value);
        }
    }

    private static void Check(StakeRules rules, GenesisStake[] genesis, StakeOperation[] operations)
    {
        var driver = new StakeDriver(new MemoryReplicatedState(), rules, genesis);
        var manager = driver.Manager;
        ulong supply = 0;
        foreach (var g in genesis)
        {
            supply += g.Liquid + g.Bonded;
        }

        Assert.Equal(supply, manager.TotalSupply);
        var usedEvidence = new HashSet<int>();
        foreach (var op in operations)
        {
            var id = driver.IdOf(op.Validator);
            var known = manager.HasAccount(id);
            var nowMs = driver.Now.TimestampMs + op.AdvanceMs;
            var before = known ? manager.GetAccount(id, nowMs) : default;
            var poolBefore = manager.SlashPool;
            var digestBefore = driver.State.Digest;

            var (rejection, amount) = driver.Apply(op);

            Assert.Equal(supply, manager.TotalSupply);
            Assert.Equal(supply, Accounted(manager, nowMs));
            foreach (var validator in manager.Validators)
            {
                var view = manager.GetAccount(validator, nowMs);
                Assert.True(view.Bonded <= rules.MaximumBond, $"bonded {view.Bonded}");
                Assert.True(view.Liquid <= supply && view.Unbonding <= supply && view.SlashedTotal <= supply);
                Assert.True(view.Locked <= view.Bonded && view.Withdrawable <= view.Unbonding);
            }

            var after = known ? manager.GetAccount(id, nowMs) : default;
            if (rejection != StakeRejection.None)
            {
                Assert.Equal(0UL, amount);
                Assert.Equal(digestBefore, driver.State.Digest);
                Assert.Equal(before, after);
            }

            if (op.Kind == StakeOperationKind.Slash)
            {
                if (usedEvidence.Contains(op.Evidence))
                {
                    Assert.Equal(StakeRejection.AlreadySlashed, rejection);
                }
                else if (!known)
                {
                    Assert.Equal(StakeRejection.UnknownAccount, rejection);
                }
                else
                {
                    Assert.Equal(StakeRejection.None, rejection);
                    usedEvidence.Add(op.Evidence);
                    var expected = (ulong)((UInt128)(before.Bonded + before.Unbonding) * (uint)rules.SlashPercent(op.Offence) / 100);
                    Assert.Equal(expected, amount);
                    Assert.Equal(poolBefore + amount, manager.SlashPool);
                    Assert.Equal(before.Bonded + before.Unbonding - amount, after.Bonded + after.Unbonding);
                    Assert.Equal(before.SlashedTotal + amount, after.SlashedTotal);
                    Assert.Equal(before.Nonce, after.Nonce);
                }

                continue;
            }

            Assert.Equal(poolBefore, manager.SlashPool);
            var (expectedRejection, mayBeFull) = Expected(rules, op, known, before);
            if (mayBeFull && rejection == StakeRejection.TooManyPending)
            {
                continue;
            }

            Assert.Equal(expectedRejection, rejection);
            if (rejection != StakeRejection.None)
            {
                continue;
            }

            Assert.Equal(before.Nonce + 1, after.Nonce);
            switch (op.Kind)
            {
                case StakeOperationKind.Bond:
                    Assert.Equal(op.Amount, amount);
                    Assert.Equal(before.Liquid - amount, after.Liquid);
                    Assert.Equal(before.Bonded + amount, after.Bonded);
                    break;
                case StakeOperationKind.Unbond:
                    Assert.Equal(op.Amount, amount);
                    Assert.Equal(before.Bonded - amount, after.Bonded);
                    Assert.Equal(before.Unbonding + amount, after.Unbonding);
                    break;
                default:
                    Assert.Equal(before.Withdrawable, amount);
                    Assert.Equal(before.Liquid + amount, after.Liquid);
                    Assert.Equal(0UL, after.Withdrawable);
                    break;
            }
        }
    }

    // The refusal a bond, unbond or withdrawal must get, from the account as it was; TooManyPending
    // depends on lots the view does not list, so it is allowed wherever the operation would otherwise apply.
    private static (StakeRejection Rejection, bool MayBeFull) Expected(StakeRules rules, StakeOperation op, bool known, StakeAccountView before)
    {
        if (!known)
        {
            return (StakeRejection.UnknownAccount, false);
        }

        if (op.NonceSkew != 0)
        {
            return (StakeRejection.BadNonce, false);
        }

        switch (op.Kind)
        {
            case StakeOperationKind.Bond:
                if (op.Amount == 0)
                {
                    return (StakeRejection.ZeroAmount, false);
                }

                if (op.Amount > before.Liquid)
                {
                    return (StakeRejection.InsufficientBalance, false);
                }

                var bonded = (UInt128)before.Bonded + op.Amount;
                return bonded > rules.MaximumBond ? (StakeRejection.AboveMaximum, false)
                    : bonded < rules.MinimumBond ? (StakeRejection.BelowMinimum, false)
                    : (StakeRejection.None, true);
            case StakeOperationKind.Unbond:
                if (op.Amount == 0)
                {
                    return (StakeRejection.ZeroAmount, false);
                }

                if (op.Amount > before.Bonded)
                {
                    return (StakeRejection.InsufficientBalance, false);
                }

                var remaining = before.Bonded - op.Amount;
                return remaining != 0 && remaining < rules.MinimumBond ? (StakeRejection.BelowMinimum, false)
                    : op.Amount > before.Bonded - before.Locked ? (StakeRejection.StillLocked, false)
                    : (StakeRejection.None, true);
            default:
                return before.Withdrawable == 0 ? (StakeRejection.NothingToWithdraw, false) : (StakeRejection.None, false);
        }
    }
}
