using CretoAI.Fast.Core;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Routing.Tests.Registry;

/// <summary>
/// The registry on the node's sharded FASTER store with a memory budget far below the records' size,
/// so most records live in the shards' log files: the test-sized form of the million-agent benchmark
/// (perf/CretoAI.Fast.Benchmarks, <c>registry-million</c>).
/// </summary>
public sealed class AgentRegistryStoreTests : IDisposable
{
    private const int Agents = 6_000;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cretoai-registry-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_restart_from_a_checkpoint_finds_every_agent_with_its_status_and_the_same_digest()
    {
        Hash32[] ids;
        StateDigest digest;
        using (var storage = NodeStorage.Open(Options()))
        {
            var state = new StoreReplicatedState(storage.State);
            var registry = new AgentRegistry(state, new AgentRegistryOptions { HotSetCapacity = 256 });
            ids = SyntheticAgents.Register(registry, 0, Agents);
            for (var i = 0; i < Agents; i += 10)
            {
                var outcome = i % 20 == 0 ? registry.Suspend(ids[i], SyntheticAgents.At(2)) : registry.RevokeByPolicy(ids[i], SyntheticAgents.At(2));
                Assert.Equal(ApplierOutcome.Applied, outcome);
            }

            state.Seal();
            digest = state.Digest;
            await storage.CheckpointAsync(storage.Wal.CommittedUntilAddress);

            // The records (about 2.7 KB each) are far beyond the 2 × 256 KiB in-memory logs: most are on disk.
            Assert.True(DirectoryBytes(_directory) > Agents * 2_600L, $"{DirectoryBytes(_directory):N0} bytes on disk");
        }

        using (var storage = NodeStorage.Open(Options()))
        {
            Assert.NotNull(storage.RecoveredCheckpoint);
            var state = new StoreReplicatedState(storage.State);
            Assert.Equal(digest, state.Digest);
            var registry = new AgentRegistry(state, new AgentRegistryOptions { HotSetCapacity = 256 });
            for (var i = 0; i < Agents; i++)
            {
                Assert.True(registry.TryGetAgent(ids[i], out var view), $"agent {i} lost in the restart");
                Assert.Equal(ids[i], AgentRegistry.AgentIdOf(view.PublicKey));
                Assert.Equal(SyntheticAgents.Profile(i), view.ProfileBytes.ToArray());
                var expected = i % 10 != 0 ? AgentStatus.Active : i % 20 == 0 ? AgentStatus.Suspended : AgentStatus.Revoked;
                Assert.Equal(expected, view.Status);
                Assert.Equal(1UL, view.RegisteredAtHeight);
            }

            Assert.False(registry.TryGetAgent(AgentRegistry.AgentIdOf(SyntheticAgents.PublicKey(Agents)), out _));
        }
    }

    [Fact]
    public void Lookups_on_other_threads_while_blocks_are_applied_end_with_the_final_records()
    {
        const int count = 400;
        using var storage = NodeStorage.Open(Options());
        var state = new StoreReplicatedState(storage.State);

        // 16 slots for 400 agents: readers keep filling and evicting slots while the writer publishes.
        var registry = new AgentRegistry(state, new AgentRegistryOptions { HotSetCapacity = 16 });
        var ids = SyntheticAgents.Register(registry, 0, count);
        using var stop = new CancellationTokenSource();
        var errors = 0;
        var readers = new Thread[2];
        for (var r = 0; r < readers.Length; r++)
        {
            var seed = r;
            readers[r] = new Thread(() =>
            {
                var random = new Random(seed);
                while (!stop.IsCancellationRequested)
                {
                    var i = random.Next(count);
                    if (!registry.TryGetAgent(ids[i], out var view) || view.AgentId != ids[i] || view.Status == AgentStatus.Revoked || view.UpdatedAtHeight < view.RegisteredAtHeight)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            });
            readers[r].Start();
        }

        // The writer flips every agent between active and suspended, several times, at increasing heights.
        ulong height = 2;
        for (var round = 0; round < 6; round++, height++)
        {
            for (var i = 0; i < count; i++)
            {
                var outcome = round % 2 == 0 ? registry.Suspend(ids[i], SyntheticAgents.At(height)) : registry.Reinstate(ids[i], SyntheticAgents.At(height));
                Assert.Equal(ApplierOutcome.Applied, outcome);
            }
        }

        stop.Cancel();
        foreach (var reader in readers)
        {
            reader.Join();
        }

        Assert.Equal(0, errors);

        // No reader may have left an older record cached: every lookup now shows the last write.
        var fresh = new AgentRegistry(state);
        for (var i = 0; i < count; i++)
        {
            Assert.True(registry.TryGetAgent(ids[i], out var cached));
            Assert.True(fresh.TryGetAgent(ids[i], out var stored));
            Assert.Equal((AgentStatus.Active, height - 1), (cached.Status, cached.UpdatedAtHeight));
            Assert.Equal((stored.Status, stored.UpdatedAtHeight), (cached.Status, cached.UpdatedAtHeight));
        }
    }

    private NodeStorageOptions Options() => new()
    {
        DataDirectory = _directory,
        Store = new ShardedStoreOptions { ShardCount = 2, MemoryBudgetPerShardBytes = 256 << 10, HashBucketsPerShard = 1 << 12, MaxValueSize = 8 << 10 },
        Wal = new WalOptions { PageSizeBits = 14, MemorySizeBits = 16, SegmentSizeBits = 20 },
    };

    private static long DirectoryBytes(string path)
    {
        long total = 0;
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
        {
            total += new FileInfo(file).Length;
        }

        return total;
    }
}
