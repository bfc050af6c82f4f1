using CretoAI.Fast.Core;
using CretoAI.Fast.Storage.State;
using CsCheck;

namespace CretoAI.Fast.Storage.Tests;

public sealed class ReplicatedStateTests
{
    private static StateKey Key(int i) => StateKey.For(StateNamespace.ReputationRecord, (ulong)i);

    [Fact]
    public void Keys_differ_by_namespace_and_identity()
    {
        var id = Hash32.Parse(new string('1', 64));
        Assert.NotEqual(StateKey.For(StateNamespace.StakeAccount, id), StateKey.For(StateNamespace.ReputationRecord, id));
        Assert.NotEqual(StateKey.For(StateNamespace.StakeAccount, 1), StateKey.For(StateNamespace.StakeAccount, 2));
        Assert.Equal(StateKey.For(StateNamespace.StakeAccount, id), StateKey.For(StateNamespace.StakeAccount, id));
    }

    [Fact]
    public void The_digest_depends_on_the_entries_not_on_the_order_of_writes()
    {
        Gen.Int[0, 30].Select(Gen.Byte.Array[0, 40]).Array[1, 40].Sample(ops =>
        {
            var forward = new MemoryReplicatedState();
            var backward = new MemoryReplicatedState();
            var final = new Dictionary<int, byte[]>();
            foreach (var (k, v) in ops)
            {
                forward.Write(Key(k), v);
                final[k] = v;
            }

            foreach (var pair in final.Reverse())
            {
                backward.Write(Key(pair.Key), pair.Value);
            }

            Assert.Equal(forward.Digest, backward.Digest);
            Assert.Equal((ulong)final.Count, forward.Digest.Count);
        }, iter: 300);
    }

    [Fact]
    public void Removing_everything_returns_to_the_empty_digest_and_a_changed_value_changes_it()
    {
        var state = new MemoryReplicatedState();
        var empty = state.Digest;
        state.Write(Key(1), [1, 2, 3]);
        var one = state.Digest;
        Assert.NotEqual(empty, one);
        state.Write(Key(1), [1, 2, 4]);
        Assert.NotEqual(one, state.Digest);
        state.Write(Key(1), [1, 2, 3]);
        Assert.Equal(one, state.Digest);
        state.Remove(Key(1));
        state.Remove(Key(1));
        Assert.Equal(empty, state.Digest);
        Assert.Equal(empty.Hash, state.Digest.Hash);
    }

    [Fact]
    public void The_store_backed_state_matches_the_memory_one_and_a_fresh_store_starts_empty()
    {
        using var dir = new TempDirectory();
        var memory = new MemoryReplicatedState();
        StateDigest sealedDigest;
        using (var store = new ShardedStore(dir.Sub("shards"), dir.Sub("checkpoints"), TestData.SmallStore(shards: 2)))
        {
            var state = new StoreReplicatedState(store);
            var random = new Random(5);
            for (var i = 0; i < 500; i++)
            {
                var key = Key(random.Next(60));
                if (random.Next(5) == 0)
                {
                    state.Remove(key);
                    memory.Remove(key);
                }
                else
                {
                    // Some values are larger than the 1 KiB stack buffer used to read old values.
                    var value = new byte[random.Next(4) == 0 ? random.Next(1000, 1024) : random.Next(0, 64)];
                    random.NextBytes(value);
                    state.Write(key, value);
                    memory.Write(key, value);
                }

                Assert.Equal(memory.Digest, state.Digest);
            }

            Span<byte> buffer = stackalloc byte[1024];
            Span<byte> expected = stackalloc byte[1024];
            for (var k = 0; k < 60; k++)
            {
                var inMemory = memory.TryRead(Key(k), expected, out var expectedLength);
                Assert.Equal(inMemory, state.TryRead(Key(k), buffer, out var length));
                Assert.True(expected[..expectedLength].SequenceEqual(buffer[..length]));
            }

            state.Seal();
            sealedDigest = state.Digest;
            Assert.Throws<InvalidOperationException>(() => state.TryRead(Key(FirstLongKey(memory)), new byte[1], out _));
        }

        using (var store = new ShardedStore(dir.Sub("shards2"), dir.Sub("checkpoints2"), TestData.SmallStore(shards: 2)))
        {
            Assert.Equal(default, new StoreReplicatedState(store).Digest);
        }

        Assert.Equal(memory.Digest, sealedDigest);
    }

    private static int FirstLongKey(MemoryReplicatedState memory)
    {
        Span<byte> buffer = stackalloc byte[1024];
        for (var k = 0; ; k++)
        {
            if (memory.TryRead(Key(k), buffer, out var length) && length > 1)
            {
                return k;
            }
        }
    }
}
