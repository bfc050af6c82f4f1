using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CretoAI.Fast.Storage;

namespace CretoAI.Fast.Benchmarks.Storage;

/// <summary>
/// Checkpoint and recovery of 1M keys (32-byte keys, 128-byte values) in a <see cref="NodeStorage"/>. The
/// reference is the raw I/O for the same bytes: writing 1M × 160 bytes to one file and flushing it to disk,
/// and reading that file back. Each iteration is one cold operation (monitoring strategy, no warm-up).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 3)]
[MemoryDiagnoser]
public class CheckpointBenchmarks
{
    private const int Keys = 1_000_000;
    private readonly byte[] _value = new byte[128];
    private string _root = "";
    private string _checkpointed = "";
    private NodeStorage? _loaded;

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "cretoai-bench-ckpt-" + Guid.NewGuid().ToString("N"));
        _checkpointed = Path.Combine(_root, "checkpointed");
        using var storage = NodeStorage.Open(Options(_checkpointed));
        Load(storage, 0);
        storage.CheckpointAsync(storage.Wal.CommittedUntilAddress).GetAwaiter().GetResult();
        File.WriteAllBytes(Path.Combine(_root, "raw.bin"), new byte[Keys * 160]);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [IterationSetup(Target = nameof(Checkpoint))]
    public void LoadForCheckpoint()
    {
        _loaded = NodeStorage.Open(Options(Path.Combine(_root, "run-" + Guid.NewGuid().ToString("N"))));
        Load(_loaded, 1);
    }

    [IterationCleanup(Target = nameof(Checkpoint))]
    public void DisposeLoaded() => _loaded?.Dispose();

    [Benchmark(Baseline = true)]
    public void RawWriteAndFlush()
    {
        var path = Path.Combine(_root, "raw-write.bin");
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var chunk = new byte[1 << 20];
        for (long written = 0; written < Keys * 160L; written += chunk.Length)
        {
            stream.Write(chunk);
        }

        stream.Flush(flushToDisk: true);
    }

    [Benchmark]
    public void RawRead()
    {
        using var stream = new FileStream(Path.Combine(_root, "raw.bin"), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var chunk = new byte[1 << 20];
        while (stream.Read(chunk) > 0)
        {
        }
    }

    [Benchmark]
    public CheckpointManifest Checkpoint() => _loaded!.CheckpointAsync(_loaded.Wal.CommittedUntilAddress).GetAwaiter().GetResult();

    [Benchmark]
    public long Recover()
    {
        using var storage = NodeStorage.Open(Options(_checkpointed));
        return storage.Replay(static _ => { });
    }

    private static NodeStorageOptions Options(string path) => new()
    {
        DataDirectory = path,
        Store = new ShardedStoreOptions
        {
            ShardCount = Environment.ProcessorCount,
            MemoryBudgetPerShardBytes = 512L << 20,
            HashBucketsPerShard = (1L << 19) / Environment.ProcessorCount,
            MaxValueSize = 1024,
        },
    };

    private void Load(NodeStorage storage, byte variant)
    {
        _value.AsSpan().Fill(variant);
        Span<byte> key = stackalloc byte[32];
        for (var i = 0; i < Keys; i++)
        {
            BitConverter.TryWriteBytes(key, i);
            BitConverter.TryWriteBytes(key[24..], ~i);
            storage.State.Upsert(key, _value);
        }
    }
}
