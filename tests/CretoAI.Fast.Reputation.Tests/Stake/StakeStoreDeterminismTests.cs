using CretoAI.Fast.Reputation.Stake;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.State;
using static CretoAI.Fast.Reputation.Tests.Stake.StakeTestData;

namespace CretoAI.Fast.Reputation.Tests.Stake;

/// <summary>The same script on the FASTER-backed state and in memory ends with the same digest and the same answers.</summary>
public sealed class StakeStoreDeterminismTests
{
    [Fact]
    public void Store_backed_and_memory_state_agree_after_every_operation()
    {
        var rules = StakeScripts.SmallRules;
        GenesisStake[] genesis =
        [
            new(Id(3), 25_000, 5_000),
            new(Id(1), 40_000, 0),
            new(Id(2), 1_000, 10_000),
        ];
        var operations = StakeScripts.Fixed(rules, genesis.Length, 600, seed: 7);

        using var dir = new CretoAI.Fast.Storage.Tests.TempDirectory();
        using var store = new ShardedStore(dir.Sub("shards"), dir.Sub("ckpt"), new ShardedStoreOptions
        {
            ShardCount = 2,
            MemoryBudgetPerShardBytes = 1 << 20,
            HashBucketsPerShard = 1 << 10,
            MaxValueSize = 4096,
        });
        var onStore = new StakeDriver(new StoreReplicatedState(store), rules, genesis);
        var inMemory = new StakeDriver(new MemoryReplicatedState(), rules, genesis);
        Assert.Equal(inMemory.State.Digest, onStore.State.Digest);

        var applied = 0;
        for (var i = 0; i < operations.Length; i++)
        {
            var result = inMemory.Apply(operations[i]);
            Assert.Equal(result, onStore.Apply(operations[i]));
            Assert.Equal(inMemory.State.Digest, onStore.State.Digest);
            applied += result.Rejection == StakeRejection.None ? 1 : 0;
            if (i % 100 == 50)
            {
                onStore.Reopen(rules);
            }
        }

        // The script must exercise the state machine, not just be refused.
        Assert.True(applied > 100, $"{applied} operations applied");
        Assert.True(inMemory.Manager.SlashPool > 0);

        var now = inMemory.Now.TimestampMs;
        Assert.Equal(inMemory.Manager.Validators, onStore.Manager.Validators);
        Assert.Equal(inMemory.Manager.SlashPool, onStore.Manager.SlashPool);
        foreach (var id in inMemory.Manager.Validators)
        {
            Assert.Equal(inMemory.Manager.GetAccount(id, now), onStore.Manager.GetAccount(id, now));
            Assert.Equal(inMemory.Manager.History(id), onStore.Manager.History(id));
        }

        Assert.Equal(inMemory.Manager.TotalSupply, Accounted(onStore.Manager, now));
    }
}
