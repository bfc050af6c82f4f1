using CretoAI.Fast.Core;
using CretoAI.Fast.Reputation.Stake;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Reputation.Tests.Stake;

/// <summary>Ids, rules and ready-made managers for the stake tests; all deterministic.</summary>
internal static class StakeTestData
{
    public static readonly BlockContext Genesis = new(0, 1_000_000);

    /// <summary>Short periods so boundaries are easy to read; otherwise the seed's values.</summary>
    public static readonly StakeRules ShortPeriods = new() { BondLockMs = 1_000, UnbondingPeriodMs = 10_000 };

    /// <summary>A validator id whose first byte is <paramref name="n"/> (so byte order is easy to predict).</summary>
    public static Hash32 Id(int n) => Fill(0xA5, n);

    /// <summary>An evidence id, disjoint from <see cref="Id"/>.</summary>
    public static Hash32 Evidence(int n) => Fill(0x3C, n);

    public static StakeManager Create(out MemoryReplicatedState state, StakeRules rules, params GenesisStake[] accounts)
    {
        state = new MemoryReplicatedState();
        var manager = new StakeManager(state, rules);
        manager.InitializeGenesis(accounts, Genesis);
        return manager;
    }

    public static BlockContext At(ulong offsetMs, ulong height = 1) => new(Genesis.Height + height, Genesis.TimestampMs + offsetMs);

    /// <summary>Σ(liquid + bonded + unbonding) over all accounts + pool: must equal the supply.</summary>
    public static ulong Accounted(StakeManager manager, ulong atMs)
    {
        ulong sum = manager.SlashPool;
        foreach (var id in manager.Validators)
        {
            var view = manager.GetAccount(id, atMs);
            sum = checked(sum + view.Liquid + view.Bonded + view.Unbonding);
        }

        return sum;
    }

    private static Hash32 Fill(byte tag, int n)
    {
        var bytes = new byte[Hash32.Size];
        bytes[0] = (byte)n;
        bytes[1] = (byte)(n >> 8);
        for (var i = 2; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(tag ^ i);
        }

        return new Hash32(bytes);
    }
}
