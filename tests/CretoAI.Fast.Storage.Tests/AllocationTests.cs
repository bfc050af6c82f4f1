namespace CretoAI.Fast.Storage.Tests;

/// <summary>
/// Runs alone (no other test class in parallel): FASTER threads drain deferred epoch actions of whatever
/// stores are active, so another test's checkpoint or page flush could be charged to this thread's
/// allocation count. The assertion stays exact: 0 bytes.
/// </summary>
[Collection(nameof(AllocationTests))]
public sealed class AllocationTests
{
    [Fact]
    public void In_memory_reads_and_upserts_allocate_nothing()
    {
        using var dir = new TempDirectory();
        using var store = new ShardedStore(dir.Sub("shards"), dir.Sub("ckpt"), TestData.SmallStore(shards: 2, memory: 8 << 20));
        var keys = Enumerable.Range(0, 256).Select(i => TestData.Key(i)).ToArray();
        var value = TestData.Value(1, 128);
        foreach (var key in keys)
        {
            store.Upsert(key, value);
        }

        var buffer = new byte[256];

        // Warm up: session pools filled, JIT done.
        for (var i = 0; i < 2000; i++)
        {
            store.Read(keys[i % keys.Length], buffer, out _);
            store.Upsert(keys[i % keys.Length], value);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            store.Read(keys[i % keys.Length], buffer, out _);
        }

        var afterReads = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            store.Upsert(keys[i % keys.Length], value);
        }

        var afterUpserts = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, afterReads - before);
        Assert.Equal(0, afterUpserts - afterReads);
    }
}

[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationTestsCollection
{
}
