using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using CretoAI.Fast.Core;
using CretoAI.Fast.Reputation;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.State;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Benchmarks.Registry;

/// <summary>
/// Registry lookups by agent id, per lookup: the hot set (<see cref="AgentRegistry.TryGetAgent"/> + status +
/// a byte of the public key) against a <see cref="ConcurrentDictionary{TKey, TValue}"/> holding the same agents
/// (the reference, the baseline of its category), on one thread and on every core; and the cold path (a
/// registry whose 16-slot hot set misses almost always, so each lookup reads and checks the record in the
/// sharded store's memory and keeps a snapshot). 20,000 agents registered through the unsigned test path;
/// the million-agent figures come from the <c>registry-million</c> job (<see cref="RegistryMillion"/>).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class AgentRegistryLookupBenchmarks
{
    private const int Agents = 20_000;
    private const int ColdLookups = 2_000;

    private string _directory = "";
    private ShardedStore _store = null!;
    private AgentRegistry _registry = null!;
    private AgentRegistry _coldRegistry = null!;
    private ConcurrentDictionary<Hash32, ReferenceAgent> _reference = null!;
    private Hash32[] _hot = [];
    private Hash32[] _cold = [];

    /// <summary>1 = single thread; 0 = one thread per core.</summary>
    [Params(1, 0)]
    public int Threads { get; set; }

    private int ThreadCount => Threads == 0 ? Environment.ProcessorCount : Threads;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "cretoai-bench-registry-" + Guid.NewGuid().ToString("N"));
        _store = new ShardedStore(Path.Combine(_directory, "shards"), Path.Combine(_directory, "checkpoints"), new ShardedStoreOptions { MaxValueSize = 64 << 10 });
        var state = new StoreReplicatedState(_store);
        _registry = new AgentRegistry(state);
        _coldRegistry = new AgentRegistry(state, new AgentRegistryOptions { HotSetCapacity = 16 });
        var ids = new Hash32[Agents];
        var key = new byte[SignedTransaction.PublicKeySize];
        var random = new Random(21);
        var profile = AgentTransactions.ProfileBody("benchmark agent", ["synthetic"]);
        for (var i = 0; i < Agents; i++)
        {
            random.NextBytes(key);
            _ = _registry.RegisterUnsigned(key, profile, new BlockContext(1, 1_700_000_000_000));
            ids[i] = AgentRegistry.AgentIdOf(key);
            _ = _registry.TryGetAgent(ids[i], out _);
        }

        // Direct-mapped: a few agents share a slot; measure the ones the hot set holds.
        _hot = [.. ids.Where(id => _registry.IsHot(id))];
        random.Shuffle(_hot);
        _reference = new ConcurrentDictionary<Hash32, ReferenceAgent>(Environment.ProcessorCount, _hot.Length);
        foreach (var id in _hot)
        {
            _ = _registry.TryGetAgent(id, out var view);
            _reference[id] = new ReferenceAgent(view.Status, view.PublicKey.ToArray());
        }

        _cold = [.. Enumerable.Range(0, ColdLookups).Select(_ => ids[random.Next(Agents)])];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 16_384)]
    [BenchmarkCategory("hot")]
    public long ConcurrentDictionaryLookup() => Run(static (b, from, to) =>
    {
        long sum = 0;
        for (var i = from; i < to; i++)
        {
            if (b._reference.TryGetValue(b._hot[i % b._hot.Length], out var agent) && agent.Status == AgentStatus.Active)
            {
                sum += agent.PublicKey[0] + 1;
            }
        }

        return sum;
    });

    [Benchmark(OperationsPerInvoke = 16_384)]
    [BenchmarkCategory("hot")]
    public long HotSetLookup() => Run(static (b, from, to) =>
    {
        long sum = 0;
        for (var i = from; i < to; i++)
        {
            if (b._registry.TryGetAgent(b._hot[i % b._hot.Length], out var view) && view.IsActive)
            {
                sum += view.PublicKey[0] + 1;
            }
        }

        return sum;
    });

    [Benchmark(OperationsPerInvoke = ColdLookups)]
    [BenchmarkCategory("cold")]
    public long ColdLookupFromStoreMemory()
    {
        long sum = 0;
        foreach (var id in _cold)
        {
            if (_coldRegistry.TryGetAgent(id, out var view))
            {
                sum += view.PublicKey[0] + 1;
            }
        }

        return sum;
    }

    // 16,384 lookups split over the threads.
    private long Run(Func<AgentRegistryLookupBenchmarks, int, int, long> body)
    {
        const int lookups = 16_384;
        var threads = ThreadCount;
        if (threads == 1)
        {
            return body(this, 0, lookups);
        }

        long total = 0;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            Interlocked.Add(ref total, body(this, lookups * t / threads, lookups * (t + 1) / threads)));
        return total;
    }

    private sealed record ReferenceAgent(AgentStatus Status, byte[] PublicKey);
}
