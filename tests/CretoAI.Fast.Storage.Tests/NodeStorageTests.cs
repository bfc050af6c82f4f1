using System.Buffers.Binary;

namespace CretoAI.Fast.Storage.Tests;

public sealed class NodeStorageTests
{
    private static NodeStorageOptions Options(string path) => new()
    {
        DataDirectory = path,
        Store = TestData.SmallStore(shards: 3, memory: 64 << 10),
        Wal = new WalOptions { PageSizeBits = 14, MemorySizeBits = 16, SegmentSizeBits = 20 },
    };

    /// <summary>A block in these tests: 8-byte number n; applying it sets key(n % 50) to value(n).</summary>
    private static void Apply(ShardedStore state, WalRecord record)
    {
        var n = BinaryPrimitives.ReadInt64LittleEndian(record.Payload);
        state.Upsert(TestData.Key(n % 50), TestData.Value(n, 60 + (int)(n % 40)));
    }

    private static long Write(NodeStorage storage, long from, long count)
    {
        Span<byte> payload = stackalloc byte[8];
        long next = 0;
        for (var n = from; n < from + count; n++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(payload, n);
            storage.Wal.Append(WalRecordKind.Block, payload);
            storage.Wal.Commit();
            next = storage.Wal.TailAddress;
            storage.State.Upsert(TestData.Key(n % 50), TestData.Value(n, 60 + (int)(n % 40)));
        }

        return next;
    }

    private static void AssertStateAfter(ShardedStore state, long blocks)
    {
        var buffer = new byte[128];
        for (var k = 0; k < 50; k++)
        {
            var last = blocks - 1 - ((blocks - 1 - k) % 50);
            if (last < 0 || last % 50 != k)
            {
                Assert.Equal(ReadResult.NotFound, state.Read(TestData.Key(k), buffer, out _));
                continue;
            }

            Assert.Equal(ReadResult.Found, state.Read(TestData.Key(k), buffer, out var length));
            Assert.True(TestData.Value(last, 60 + (int)(last % 40)).AsSpan().SequenceEqual(buffer.AsSpan(0, length)), $"key {k} should hold block {last}");
        }
    }

    [Fact]
    public async Task Checkpoint_then_replay_restores_the_state()
    {
        using var dir = new TempDirectory();
        using (var storage = NodeStorage.Open(Options(dir.Path)))
        {
            Assert.Null(storage.RecoveredCheckpoint);
            var position = Write(storage, 0, 300);
            await storage.CheckpointAsync(position);
            Write(storage, 300, 120);
        }

        using (var storage = NodeStorage.Open(Options(dir.Path)))
        {
            Assert.NotNull(storage.RecoveredCheckpoint);
            var replayed = storage.Replay(record => Apply(storage.State, record));
            Assert.Equal(120, replayed);
            AssertStateAfter(storage.State, 420);
        }
    }

    [Fact]
    public async Task Writes_after_a_checkpoint_is_started_are_not_in_it_and_replay_exactly_once()
    {
        using var dir = new TempDirectory();
        long inFlightWrites = 0;
        using (var storage = NodeStorage.Open(Options(dir.Path)))
        {
            var position = Write(storage, 0, 300);
            var checkpoint = storage.StartCheckpoint(position);

            // The node goes on applying blocks while the checkpoint is written: keep writing (blocks
            // 300 onwards overwrite the same 50 keys) until it is durable.
            var next = 300L;
            while (!checkpoint.IsCompleted)
            {
                Write(storage, next++, 1);
                inFlightWrites++;
            }

            var manifest = await checkpoint;
            Assert.Equal(position, manifest.WalAddress);
            Assert.False(storage.IsCheckpointing);
            Write(storage, next, 20);
        }

        Assert.True(inFlightWrites > 0, "the checkpoint finished before the first write, so this run tested nothing");
        using (var storage = NodeStorage.Open(Options(dir.Path)))
        {
            // Exactly the 300 blocks below the manifest's WAL address, none of the ones written meanwhile.
            AssertStateAfter(storage.State, 300);
            var replayed = storage.Replay(record => Apply(storage.State, record));
            Assert.Equal(inFlightWrites + 20, replayed);
            AssertStateAfter(storage.State, 300 + inFlightWrites + 20);
        }
    }

    [Fact]
    public async Task Old_checkpoints_and_wal_are_pruned_but_recovery_still_works()
    {
        using var dir = new TempDirectory();
        using (var storage = NodeStorage.Open(Options(dir.Path)))
        {
            for (var round = 0; round < 5; round++)
            {
                var position = Write(storage, round * 100, 100);
                await storage.CheckpointAsync(position);
            }

            Write(storage, 500, 10);
            Assert.Equal(2, Directory.GetFiles(storage.Directory.CheckpointPath, "manifest-*").Length);
            Assert.True(storage.Wal.BeginAddress > 64);
        }

        using (var storage = NodeStorage.Open(Options(dir.Path)))
        {
            Assert.Equal(5ul, storage.RecoveredCheckpoint!.Sequence);
            Assert.Equal(10, storage.Replay(record => Apply(storage.State, record)));
            AssertStateAfter(storage.State, 510);
        }
    }

    [Fact]
    public async Task A_damaged_newest_manifest_falls_back_to_the_previous_checkpoint()
    {
        using var dir = new TempDirectory();
        using (var storage = NodeStorage.Open(Options(dir.Path)))
        {
            await storage.CheckpointAsync(Write(storage, 0, 100));
            await storage.CheckpointAsync(Write(storage, 100, 100));
            Write(storage, 200, 5);
        }

        // A torn manifest (as if the machine died mid-write) and a leftover temp file.
        var checkpoints = Path.Combine(dir.Path, "checkpoints");
        var newest = CheckpointManifest.List(checkpoints)[0];
        var bytes = File.ReadAllBytes(newest);
        File.WriteAllBytes(newest, bytes[..(bytes.Length / 2)]);
        File.WriteAllBytes(Path.Combine(checkpoints, "manifest-00000000000000000009.ckpt.tmp"), [1, 2, 3]);

        using (var storage = NodeStorage.Open(Options(dir.Path)))
        {
            Assert.Equal(1ul, storage.RecoveredCheckpoint!.Sequence);
            Assert.Equal(105, storage.Replay(record => Apply(storage.State, record)));
            AssertStateAfter(storage.State, 205);
        }
    }

    [Fact]
    public async Task A_checkpoint_without_a_manifest_is_ignored()
    {
        using var dir = new TempDirectory();
        using (var storage = NodeStorage.Open(Options(dir.Path)))
        {
            await storage.CheckpointAsync(Write(storage, 0, 100));
            Write(storage, 100, 50);

            // Shards finish a checkpoint but the process dies before the manifest is written.
            await storage.State.CheckpointAllAsync();
            Write(storage, 150, 7);
        }

        using (var storage = NodeStorage.Open(Options(dir.Path)))
        {
            Assert.Equal(1ul, storage.RecoveredCheckpoint!.Sequence);
            Assert.Equal(57, storage.Replay(record => Apply(storage.State, record)));
            AssertStateAfter(storage.State, 157);
        }
    }

    [Fact]
    public void Second_instance_on_the_same_directory_is_refused()
    {
        using var dir = new TempDirectory();
        using var first = NodeStorage.Open(Options(dir.Path));
        var error = Assert.Throws<StorageException>(() => NodeStorage.Open(Options(dir.Path)));
        Assert.Equal(StorageError.DirectoryLocked, error.Error);
    }

    [Fact]
    public async Task Changing_the_shard_count_of_a_directory_is_refused()
    {
        using var dir = new TempDirectory();
        using (var storage = NodeStorage.Open(Options(dir.Path)))
        {
            await storage.CheckpointAsync(Write(storage, 0, 10));
        }

        var other = new NodeStorageOptions { DataDirectory = dir.Path, Store = TestData.SmallStore(shards: 2, memory: 64 << 10) };
        var error = Assert.Throws<StorageException>(() => NodeStorage.Open(other));
        Assert.Equal(StorageError.UnsupportedFormat, error.Error);
        Assert.Contains("3 shards", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checkpoint_beyond_the_committed_wal_is_refused()
    {
        using var dir = new TempDirectory();
        using var storage = NodeStorage.Open(Options(dir.Path));
        var error = await Assert.ThrowsAsync<StorageException>(() => storage.CheckpointAsync(storage.Wal.TailAddress + 4096));
        Assert.Equal(StorageError.InvalidArgument, error.Error);
    }

    [Fact]
    public async Task Checkpoint_of_state_without_any_wal_records_recovers()
    {
        using var dir = new TempDirectory();
        using (var storage = NodeStorage.Open(Options(dir.Path)))
        {
            storage.State.Upsert(TestData.Key(1), TestData.Value(1, 10));
            await storage.CheckpointAsync(storage.Wal.CommittedUntilAddress);
        }

        using (var storage = NodeStorage.Open(Options(dir.Path)))
        {
            Assert.NotNull(storage.RecoveredCheckpoint);
            Assert.Equal(ReadResult.Found, storage.State.Read(TestData.Key(1), new byte[16], out var length));
            Assert.Equal(10, length);
        }
    }

    [Fact]
    public async Task A_checkpoint_whose_shard_data_is_lost_falls_back_to_the_previous_one()
    {
        using var dir = new TempDirectory();
        Guid lost;
        using (var storage = NodeStorage.Open(Options(dir.Path)))
        {
            await storage.CheckpointAsync(Write(storage, 0, 100));
            lost = (await storage.CheckpointAsync(Write(storage, 100, 100))).ShardTokens[1];
            Write(storage, 200, 9);
        }

        // The newest manifest is intact but one shard's checkpoint files are gone: restoring it fails
        // part-way (after the store opened alongside the WAL was used), so the previous checkpoint
        // must be restored into a store of its own.
        var removed = 0;
        foreach (var path in Directory.GetDirectories(Path.Combine(dir.Path, "checkpoints", "shard-001"), lost.ToString(), SearchOption.AllDirectories))
        {
            Directory.Delete(path, recursive: true);
            removed++;
        }

        Assert.True(removed > 0, "the test must find the shard's checkpoint files");
        using (var storage = NodeStorage.Open(Options(dir.Path)))
        {
            Assert.Equal(1ul, storage.RecoveredCheckpoint!.Sequence);
            Assert.Equal(109, storage.Replay(record => Apply(storage.State, record)));
            AssertStateAfter(storage.State, 209);
        }
    }

    [Theory]
    [InlineData("wal")]
    [InlineData("shards/001")]
    public void A_failed_open_releases_the_directory_and_whatever_opened_alongside(string blocked)
    {
        using var dir = new TempDirectory();
        using (var storage = NodeStorage.Open(Options(dir.Path)))
        {
            Write(storage, 0, 60);
        }

        // A file where the WAL's or a shard's directory must be: that part cannot open while the
        // other one does.
        var path = Path.Combine(dir.Path, blocked);
        Directory.Delete(path, recursive: true);
        File.WriteAllBytes(path, [0]);
        Assert.ThrowsAny<IOException>(() => NodeStorage.Open(Options(dir.Path)));

        // Opening again works (the lock was released), and what survived is intact: the WAL's
        // records when a shard was blocked; nothing when the WAL itself was removed to block it.
        File.Delete(path);
        using var reopened = NodeStorage.Open(Options(dir.Path));
        var replayed = reopened.Replay(record => Apply(reopened.State, record));
        if (blocked == "wal")
        {
            Assert.Equal(0, replayed);
            Assert.Equal(ReadResult.NotFound, reopened.State.Read(TestData.Key(0), new byte[128], out _));
        }
        else
        {
            Assert.Equal(60, replayed);
            AssertStateAfter(reopened.State, 60);
        }
    }

    [Fact]
    public void A_format_2_directory_keeps_its_page_sizes_and_its_format()
    {
        using var dir = new TempDirectory();
        var options = OlderFormat(dir, 2);
        var large = TestData.Value(1, 100 << 10);
        using (var storage = NodeStorage.Open(options))
        {
            // Format 2's store pages hold values up to 1 MiB; its 4 MiB WAL pages never split a record.
            storage.State.Upsert(TestData.Key(1), large);
            Assert.Equal(StorageError.InvalidArgument, Assert.Throws<StorageException>(() => storage.Wal.Append(WalRecordKind.Block, new byte[5 << 20])).Error);
            storage.Wal.Append(WalRecordKind.Block, TestData.Value(2, 3 << 20));
            storage.Wal.Commit();
        }

        Assert.Equal("cretoai-fast-storage 2", File.ReadAllText(Path.Combine(dir.Path, DataDirectory.FormatFileName)).Trim());
        using (var storage = NodeStorage.Open(options))
        {
            using var reader = storage.Wal.Scan(storage.Wal.BeginAddress);
            Assert.True(reader.TryReadNext(out var record));
            Assert.True(record.Payload.SequenceEqual(TestData.Value(2, 3 << 20)));
        }

        // A new directory is the current format: values over 64 KiB are refused, large WAL records are split.
        using var fresh = new TempDirectory();
        using var current = NodeStorage.Open(new NodeStorageOptions { DataDirectory = fresh.Path, Store = options.Store });
        Assert.Equal($"cretoai-fast-storage {DataDirectory.FormatVersion}", File.ReadAllText(Path.Combine(fresh.Path, DataDirectory.FormatFileName)).Trim());
        Assert.Equal(StorageError.InvalidArgument, Assert.Throws<StorageException>(() => current.State.Upsert(TestData.Key(1), large)).Error);
        current.Wal.Append(WalRecordKind.Block, new byte[5 << 20]);
        current.Wal.Commit();
    }

    [Fact]
    public void A_format_3_directory_keeps_a_commit_file_per_commit_and_its_format()
    {
        using var dir = new TempDirectory();
        var options = OlderFormat(dir, 3);
        using (var storage = NodeStorage.Open(options))
        {
            storage.Wal.Append(WalRecordKind.Block, TestData.Value(1, 300));
            storage.Wal.Commit();
        }

        var walDirectory = Path.Combine(dir.Path, "wal");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(walDirectory, "log-commits"), "*", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(walDirectory, WalCommitFile.FileName)));
        Assert.Equal("cretoai-fast-storage 3", File.ReadAllText(Path.Combine(dir.Path, DataDirectory.FormatFileName)).Trim());
        using (var storage = NodeStorage.Open(options))
        {
            using var reader = storage.Wal.Scan(storage.Wal.BeginAddress);
            Assert.True(reader.TryReadNext(out var record));
            Assert.True(record.Payload.SequenceEqual(TestData.Value(1, 300)));
        }

        // A new directory records its commits in place, in wal.commit.
        using var fresh = new TempDirectory();
        using (var current = NodeStorage.Open(new NodeStorageOptions { DataDirectory = fresh.Path, Store = options.Store }))
        {
            current.Wal.Append(WalRecordKind.Block, TestData.Value(1, 300));
            current.Wal.Commit();
        }

        var freshWal = Path.Combine(fresh.Path, "wal");
        Assert.Equal(2 * WalCommitFile.SlotSize, new FileInfo(Path.Combine(freshWal, WalCommitFile.FileName)).Length);
        Assert.False(Directory.Exists(Path.Combine(freshWal, "log-commits")));
    }

    /// <summary>Options for a new directory marked as storage <paramref name="format"/> (as a build of that format would have created it).</summary>
    private static NodeStorageOptions OlderFormat(TempDirectory dir, int format)
    {
        File.WriteAllText(Path.Combine(dir.Path, DataDirectory.FormatFileName), $"cretoai-fast-storage {format}\n");
        return new NodeStorageOptions
        {
            DataDirectory = dir.Path,
            Store = new ShardedStoreOptions { ShardCount = 2, MemoryBudgetPerShardBytes = 8 << 20, HashBucketsPerShard = 1 << 10 },
        };
    }
}
