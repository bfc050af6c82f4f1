using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using CretoAI.Fast.Core;
using CretoAI.Fast.Storage;

namespace CretoAI.Fast.Benchmarks.Storage;

/// <summary>
/// 1M keys (32-byte keys, 128-byte values), every key touched once per invocation, on 1 thread and on
/// every core. <see cref="ShardedStore"/> (one shard per core) against one FasterKV (the same wrapper with
/// one shard, so only sharding differs) and <see cref="ConcurrentDictionary{TKey, TValue}"/> (the reference;
/// reads copy the value out like the stores do). All data fits the memory budget: this measures the
/// in-memory path; spilled reads are exercised by the tests.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class KeyValueBenchmarks
{
    private const int Keys = 1_000_000;
    private const int ValueSize = 128;
    private readonly byte[] _keys = new byte[Keys * Hash32.Size];
    private readonly byte[] _value = new byte[ValueSize];
    private Hash32[] _hashes = [];
    private string _directory = "";
    private ShardedStore _sharded = null!;
    private ShardedStore _single = null!;
    private ConcurrentDictionary<Hash32, byte[]> _dictionary = null!;

    /// <summary>1 = single thread; 0 = one thread per core.</summary>
    [Params(1, 0)]
    public int Threads { get; set; }

    private int ThreadCount => Threads == 0 ? Environment.ProcessorCount : Threads;

    [GlobalSetup]
    public void Setup()
    {
        new Random(5).NextBytes(_keys);
        new Random(6).NextBytes(_value);
        _hashes = new Hash32[Keys];
        for (var i = 0; i < Keys; i++)
        {
            _hashes[i] = new Hash32(KeyAt(i));
        }

        _directory = Path.Combine(Path.GetTempPath(), "cretoai-bench-kv-" + Guid.NewGuid().ToString("N"));
        _sharded = new ShardedStore(Path.Combine(_directory, "sharded"), Path.Combine(_directory, "ck1"), Options(Environment.ProcessorCount));
        _single = new ShardedStore(Path.Combine(_directory, "single"), Path.Combine(_directory, "ck2"), Options(1));
        _dictionary = new ConcurrentDictionary<Hash32, byte[]>(Environment.ProcessorCount, Keys);
        for (var i = 0; i < Keys; i++)
        {
            _sharded.Upsert(KeyAt(i), _value);
            _single.Upsert(KeyAt(i), _value);
            _dictionary[_hashes[i]] = _value;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sharded.Dispose();
        _single.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Keys)]
    [BenchmarkCategory("read")]
    public void ReadConcurrentDictionary() => Run(static (b, from, to) =>
    {
        Span<byte> buffer = stackalloc byte[256];
        for (var i = from; i < to; i++)
        {
            b._dictionary.TryGetValue(b._hashes[i], out var value);
            value.AsSpan().CopyTo(buffer);
        }
    });

    [Benchmark(OperationsPerInvoke = Keys)]
    [BenchmarkCategory("read")]
    public void ReadSingleFaster() => Run(static (b, from, to) => b.ReadAll(b._single, from, to));

    [Benchmark(OperationsPerInvoke = Keys)]
    [BenchmarkCategory("read")]
    public void ReadSharded() => Run(static (b, from, to) => b.ReadAll(b._sharded, from, to));

    [Benchmark(Baseline = true, OperationsPerInvoke = Keys)]
    [BenchmarkCategory("upsert")]
    public void UpsertConcurrentDictionary() => Run(static (b, from, to) =>
    {
        for (var i = from; i < to; i++)
        {
            b._dictionary[b._hashes[i]] = b._value;
        }
    });

    [Benchmark(OperationsPerInvoke = Keys)]
    [BenchmarkCategory("upsert")]
    public void UpsertSingleFaster() => Run(static (b, from, to) => b.UpsertAll(b._single, from, to));

    [Benchmark(OperationsPerInvoke = Keys)]
    [BenchmarkCategory("upsert")]
    public void UpsertSharded() => Run(static (b, from, to) => b.UpsertAll(b._sharded, from, to));

    private static ShardedStoreOptions Options(int shards) => new()
    {
        ShardCount = shards,
        MemoryBudgetPerShardBytes = 1L << 30 >> (shards > 1 ? 1 : 0),
        HashBucketsPerShard = (1L << 19) / shards,
        MaxValueSize = 1024,
    };

    private ReadOnlySpan<byte> KeyAt(int i) => _keys.AsSpan(i * Hash32.Size, Hash32.Size);

    private void ReadAll(ShardedStore store, int from, int to)
    {
        Span<byte> buffer = stackalloc byte[256];
        for (var i = from; i < to; i++)
        {
            store.Read(KeyAt(i), buffer, out _);
        }
    }

    private void UpsertAll(ShardedStore store, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            store.Upsert(KeyAt(i), _value);
        }
    }

    private void Run(Action<KeyValueBenchmarks, int, int> body)
    {
        var threads = ThreadCount;
        if (threads == 1)
        {
            body(this, 0, Keys);
            return;
        }

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            body(this, (int)((long)Keys * t / threads), (int)((long)Keys * (t + 1) / threads)));
    }
}
