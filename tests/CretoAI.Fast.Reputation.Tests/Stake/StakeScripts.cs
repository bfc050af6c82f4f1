using CretoAI.Fast.Reputation.Stake;
using CsCheck;
using static CretoAI.Fast.Reputation.Tests.Stake.StakeTestData;

namespace CretoAI.Fast.Reputation.Tests.Stake;

/// <summary>Generators of genesis accounts and operation scripts that hit the interesting boundaries often.</summary>
internal static class StakeScripts
{
    /// <summary>Small numbers so limits, locks and maturity are reached within a short script.</summary>
    public static readonly StakeRules SmallRules = new()
    {
        MinimumBond = 100,
        MaximumBond = 10_000,
        BondLockMs = 1_000,
        UnbondingPeriodMs = 5_000,
        MaxPendingEntries = 4,
        HistoryLength = 8,
    };

    private static readonly Offence[] Offences =
        [Offence.Equivocation, Offence.DoubleSignCommit, Offence.InvalidBlock, Offence.InvalidSignature, Offence.ProlongedDowntime, Offence.MissedProposal, Offence.MissedVote];

    public static Gen<GenesisStake[]> Genesis(StakeRules rules) =>
        Gen.Select(
            Gen.ULong[0, 4 * rules.MaximumBond],
            Gen.Frequency((1, Gen.Const(0UL)), (3, Gen.ULong[rules.MinimumBond, rules.MaximumBond]))).Array[1, 4]
        .Select(accounts =>
        {
            var genesis = new GenesisStake[accounts.Length];
            for (var i = 0; i < accounts.Length; i++)
            {
                genesis[i] = new GenesisStake(Id(i + 1), accounts[i].Item1, accounts[i].Item2);
            }

            return genesis;
        });

    public static Gen<StakeOperation> Operation(StakeRules rules, int accounts) =>
        Gen.Select(
            Gen.FrequencyConst((3, StakeOperationKind.Bond), (3, StakeOperationKind.Unbond), (2, StakeOperationKind.Withdraw), (2, StakeOperationKind.Slash)),
            Gen.Frequency((9, Gen.Int[0, accounts - 1]), (1, Gen.Const(accounts))),
            Gen.Frequency(
                (1, Gen.Const(0UL)),
                (4, Gen.ULong[1, 3 * rules.MinimumBond]),
                (4, Gen.ULong[1, rules.MaximumBond + (rules.MaximumBond / 2)]),
                (2, Gen.ULong[rules.MinimumBond - 2, rules.MinimumBond + 2]),
                (1, Gen.Const(ulong.MaxValue))),
            Gen.Frequency((8, Gen.Const(0)), (1, Gen.Int[-2, 2])),
            Gen.Frequency(
                (3, Gen.Const(0UL)),
                (3, Gen.ULong[1, rules.BondLockMs / 8]),
                (3, Gen.ULong[1, rules.BondLockMs + (rules.BondLockMs / 2)]),
                (2, Gen.ULong[rules.UnbondingPeriodMs - 2, rules.UnbondingPeriodMs + 2])),
            Gen.Int[0, 11],
            Gen.OneOfConst(Offences),
            (kind, validator, amount, skew, advance, evidence, offence) => new StakeOperation(kind, validator, amount, skew, advance, evidence, offence));

    public static Gen<(GenesisStake[] Genesis, StakeOperation[] Operations)> Script(StakeRules rules, int maxOperations) =>
        Genesis(rules).SelectMany(genesis => Operation(rules, genesis.Length).Array[1, maxOperations].Select(ops => (genesis, ops)));

    /// <summary>A fixed script from a seeded generator: the same on every run and machine.</summary>
    public static StakeOperation[] Fixed(StakeRules rules, int accounts, int count, int seed)
    {
        var random = new Random(seed);
        var ops = new StakeOperation[count];
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(10);
            var kind = roll < 3 ? StakeOperationKind.Bond : roll < 6 ? StakeOperationKind.Unbond : roll < 8 ? StakeOperationKind.Withdraw : StakeOperationKind.Slash;
            var amount = random.Next(4) == 0 ? (ulong)random.NextInt64((long)rules.MinimumBond - 2, (long)rules.MinimumBond + 3) : (ulong)random.NextInt64(0, (long)rules.MaximumBond * 3 / 2);
            var advance = random.Next(3) switch
            {
                0 => 0UL,
                1 => (ulong)random.NextInt64(1, (long)rules.BondLockMs * 3 / 2),
                _ => (ulong)random.NextInt64((long)rules.UnbondingPeriodMs - 2, (long)rules.UnbondingPeriodMs + 3),
            };
            ops[i] = new StakeOperation(kind, random.Next(accounts + 1), amount, random.Next(10) == 0 ? random.Next(-2, 3) : 0, advance, random.Next(12), Offences[random.Next(Offences.Length)]);
        }

        return ops;
    }
}
