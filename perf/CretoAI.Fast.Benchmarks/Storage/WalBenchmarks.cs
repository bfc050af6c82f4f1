using BenchmarkDotNet.Attributes;
using CretoAI.Fast.Storage;

namespace CretoAI.Fast.Benchmarks.Storage;

/// <summary>
/// WAL append + commit of 256-byte block records. Reference: a plain <see cref="FileStream"/> write followed
/// by <c>Flush(flushToDisk: true)</c> (fsync) per record, the cheapest honest durable append. Sync-every-commit
/// is measured on one thread; group commit with 4 writers that each wait for their own commit.
/// <see cref="CommitRecords"/> picks how the WAL records a commit: in place in <c>wal.commit</c> (storage
/// format 4, the default) or FasterLog's new file per commit (formats 2 and 3).
/// </summary>
[MemoryDiagnoser]
public class WalBenchmarks
{
    private const int Records = 256;
    private const int Writers = 4;
    private readonly byte[] _payload = new byte[256];
    private string _root = "";
    private WriteAheadLog _sync = null!;
    private WriteAheadLog _group = null!;
    private FileStream _file = null!;

    [Params("in-place", "file-per-commit")]
    public string CommitRecords { get; set; } = "in-place";

    [GlobalSetup]
    public void Setup()
    {
        new Random(3).NextBytes(_payload);
        _root = Path.Combine(Path.GetTempPath(), "cretoai-bench-wal-" + Guid.NewGuid().ToString("N"));
        var inPlace = string.Equals(CommitRecords, "in-place", StringComparison.Ordinal);
        _sync = WriteAheadLog.Open(Path.Combine(_root, "sync"), new WalOptions { Durability = WalDurability.SyncEveryCommit, CommitInPlace = inPlace });
        _group = WriteAheadLog.Open(Path.Combine(_root, "group"), new WalOptions { Durability = WalDurability.GroupCommit, CommitInPlace = inPlace });
        Directory.CreateDirectory(_root);
        _file = new FileStream(Path.Combine(_root, "reference.log"), FileMode.Create, FileAccess.Write, FileShare.None, 4096);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sync.Dispose();
        _group.Dispose();
        _file.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public void FileWriteAndFsync()
    {
        for (var i = 0; i < Records; i++)
        {
            _file.Write(_payload);
            _file.Flush(flushToDisk: true);
        }
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public void AppendCommitSyncEveryCommit()
    {
        for (var i = 0; i < Records; i++)
        {
            _sync.Append(WalRecordKind.Block, _payload);
            _sync.Commit();
        }
    }

    [Benchmark(OperationsPerInvoke = Records * Writers)]
    public void AppendCommitGroupCommit4Writers() => Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, _ =>
    {
        for (var i = 0; i < Records; i++)
        {
            _group.Append(WalRecordKind.Block, _payload);
            _group.Commit();
        }
    });

    [Benchmark(OperationsPerInvoke = Records)]
    public void AppendThenOneCommit()
    {
        for (var i = 0; i < Records; i++)
        {
            _sync.Append(WalRecordKind.Block, _payload);
        }

        _sync.Commit();
    }
}
