namespace CretoAI.Fast.Storage.Tests;

/// <summary>The WAL's in-place commit records (storage format 4): slots, torn writes, failures.</summary>
public sealed class WalCommitFileTests
{
    private static readonly WalOptions SmallPages = new() { PageSizeBits = 14, MemorySizeBits = 16, SegmentSizeBits = 20 };

    [Fact]
    public void A_slot_decodes_to_what_was_encoded_and_any_damaged_byte_rejects_it()
    {
        var metadata = TestData.Value(7, 60);
        var slot = new byte[WalCommitFile.SlotSize];
        WalCommitFile.Encode(slot, 12345, metadata);
        Assert.True(WalCommitFile.TryDecode(slot, out var number, out var decoded));
        Assert.Equal(12345, number);
        Assert.Equal(metadata, decoded);

        for (var i = 0; i < WalCommitFile.HeaderSize + metadata.Length; i++)
        {
            var damaged = (byte[])slot.Clone();
            damaged[i] ^= 0x10;
            Assert.False(WalCommitFile.TryDecode(damaged, out _, out _), $"byte {i} flipped");
        }

        Assert.False(WalCommitFile.TryDecode(new byte[WalCommitFile.SlotSize], out _, out _));
        Assert.False(WalCommitFile.TryDecode(slot.AsSpan(0, WalCommitFile.HeaderSize + metadata.Length - 1), out _, out _));
    }

    [Fact]
    public void Many_commits_reuse_two_slots_and_every_committed_record_survives_reopen()
    {
        using var dir = new TempDirectory();
        using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            for (var i = 0; i < 200; i++)
            {
                wal.Append(WalRecordKind.Block, TestData.Value(i, 100));
                wal.Commit();
            }
        }

        Assert.Equal(2 * WalCommitFile.SlotSize, new FileInfo(Path.Combine(dir.Path, WalCommitFile.FileName)).Length);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "log-commits")));
        Assert.Equal(2, LatestCommits(dir.Path).Count);
        using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            Assert.Equal(200, ReadAll(wal).Count);
        }
    }

    [Fact]
    public void A_torn_last_commit_record_falls_back_to_the_one_before()
    {
        using var dir = new TempDirectory();
        CommitEach(dir.Path, SmallPages, "first", "second");

        // Damage the newest slot's metadata, as a crash in the middle of writing it would.
        var newest = LatestCommits(dir.Path).MaxBy(c => c.Number);
        using (var file = File.OpenHandle(Path.Combine(dir.Path, WalCommitFile.FileName), FileMode.Open, FileAccess.ReadWrite))
        {
            var offset = newest.Offset + WalCommitFile.HeaderSize + 3;
            var one = new byte[1];
            RandomAccess.Read(file, one, offset);
            one[0] ^= 0xFF;
            RandomAccess.Write(file, one, offset);
        }

        using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            Assert.Equal(["first"], ReadAll(wal));

            // The log goes on from there, and the next commits are durable again.
            wal.Append(WalRecordKind.Block, "third"u8);
            wal.Commit();
        }

        using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            Assert.Equal(["first", "third"], ReadAll(wal));
        }
    }

    [Fact]
    public void A_commit_record_that_cannot_be_written_fails_the_commit_and_every_later_one()
    {
        if (!File.Exists("/dev/full"))
        {
            Assert.Fail("this test needs /dev/full (Linux)");
        }

        using var dir = new TempDirectory();
        using var wal = WriteAheadLog.Open(dir.Path, SmallPages, logger: null, deviceFactory: null, commitFileFactory: path =>
            new WalCommitFile(File.OpenHandle("/dev/full", FileMode.Open, FileAccess.ReadWrite), Path.Combine(path, WalCommitFile.FileName)));
        var before = wal.CommittedUntilAddress;
        wal.Append(WalRecordKind.Block, "lost"u8);
        var failure = Assert.Throws<StorageException>(wal.Commit);
        Assert.Contains("WAL commit failed", failure.Message);
        Assert.Equal(before, wal.CommittedUntilAddress);
        Assert.Same(failure, Assert.Throws<StorageException>(() => wal.Append(WalRecordKind.Block, "later"u8)));
    }

    [Fact]
    public async Task A_group_commit_whose_record_cannot_be_written_fails_instead_of_waiting_forever()
    {
        // FasterLog completes no waiter when the record fails: the WAL must be woken by the file.
        using var dir = new TempDirectory();
        var group = new WalOptions { PageSizeBits = 14, MemorySizeBits = 16, SegmentSizeBits = 20, Durability = WalDurability.GroupCommit };
        using var wal = WriteAheadLog.Open(dir.Path, group, logger: null, deviceFactory: null, commitFileFactory: path =>
            new WalCommitFile(File.OpenHandle("/dev/full", FileMode.Open, FileAccess.ReadWrite), Path.Combine(path, WalCommitFile.FileName)));
        var commits = Enumerable.Range(0, 3).Select(i => Task.Run(() =>
        {
            wal.Append(WalRecordKind.Block, TestData.Value(i, 32));
            wal.Commit();
        })).ToArray();

        // A hang guard, not a timing expectation: without the wake-up these never finish.
        var all = Task.WhenAll(commits);
        Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromMinutes(2))));
        Assert.All(commits, c => Assert.IsType<StorageException>(c.Exception?.InnerException));
    }

    [Fact]
    public void Slots_alternate_by_write_so_skipped_commit_numbers_never_overwrite_the_newest()
    {
        // FasterLog writes a record only for the last of several commits one flush covers, so the
        // numbers written can skip (1, 2, 4): commit 4 must replace 1, not 2 (same parity as 4).
        using var dir = new TempDirectory();
        using (var file = WalCommitFile.Open(dir.Path))
        {
            foreach (var number in new long[] { 1, 2, 4 })
            {
                file.Commit(0, 64 * number, TestData.Value((int)number, 40), number, forceWriteMetadata: false);
            }

            Assert.Equal([4, 2], file.ListCommits());
            Assert.Equal(TestData.Value(2, 40), file.GetCommitMetadata(2));
            Assert.Equal(TestData.Value(4, 40), file.GetCommitMetadata(4));
            Assert.Null(file.GetCommitMetadata(1));
        }

        // After a reopen the next write still goes to the slot without the newest commit.
        using (var file = WalCommitFile.Open(dir.Path))
        {
            file.Commit(0, 64 * 6, TestData.Value(6, 40), 6, forceWriteMetadata: false);
            Assert.Equal([6, 4], file.ListCommits());
        }
    }

    [Fact]
    public void Concurrent_committers_leave_the_newest_commit_intact()
    {
        using var dir = new TempDirectory();
        using (var wal = WriteAheadLog.Open(dir.Path, new WalOptions { PageSizeBits = 14, MemorySizeBits = 16, SegmentSizeBits = 20, Durability = WalDurability.GroupCommit }))
        {
            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, writer =>
            {
                for (var i = 0; i < 50; i++)
                {
                    wal.Append(WalRecordKind.Block, TestData.Value((writer * 1000) + i, 64));
                    wal.Commit();
                }
            });
        }

        var commits = LatestCommits(dir.Path);
        Assert.Equal(2, commits.Count);
        Assert.NotEqual(commits[0].Number, commits[1].Number);
        using var reopened = WriteAheadLog.Open(dir.Path, SmallPages);
        Assert.Equal(200, ReadAll(reopened).Count);
    }

    [Fact]
    public void A_log_with_data_whose_commit_record_is_missing_is_refused_not_emptied()
    {
        using var dir = new TempDirectory();
        CommitEach(dir.Path, SmallPages, "kept");

        File.Delete(Path.Combine(dir.Path, WalCommitFile.FileName));
        var refused = Assert.Throws<StorageException>(() => WriteAheadLog.Open(dir.Path, SmallPages));
        Assert.Equal(StorageError.WalCorrupt, refused.Error);
        Assert.Contains(WalCommitFile.FileName, refused.Message);
        Assert.NotEqual(0, new FileInfo(Path.Combine(dir.Path, "wal.log.0")).Length);
    }

    [Fact]
    public void A_log_opened_with_the_other_kind_of_commit_record_is_refused()
    {
        using var legacy = new TempDirectory();
        var fileEach = new WalOptions { PageSizeBits = 14, MemorySizeBits = 16, SegmentSizeBits = 20, CommitInPlace = false };
        CommitEach(legacy.Path, fileEach, "one");

        Assert.Equal(StorageError.UnsupportedFormat, Assert.Throws<StorageException>(() => WriteAheadLog.Open(legacy.Path, SmallPages)).Error);
        using (var wal = WriteAheadLog.Open(legacy.Path, fileEach))
        {
            Assert.Equal(["one"], ReadAll(wal));
        }

        using var current = new TempDirectory();
        CommitEach(current.Path, SmallPages, "two");

        Assert.Equal(StorageError.UnsupportedFormat, Assert.Throws<StorageException>(() => WriteAheadLog.Open(current.Path, fileEach)).Error);
    }

    /// <summary>Opens the WAL in <paramref name="path"/>, appends and commits each payload (ASCII) in turn, and closes it.</summary>
    private static void CommitEach(string path, WalOptions options, params string[] payloads)
    {
        using var wal = WriteAheadLog.Open(path, options);
        foreach (var payload in payloads)
        {
            wal.Append(WalRecordKind.Block, System.Text.Encoding.ASCII.GetBytes(payload));
            wal.Commit();
        }
    }

    private static List<string> ReadAll(WriteAheadLog wal)
    {
        var payloads = new List<string>();
        using var reader = wal.Scan(wal.BeginAddress);
        while (reader.TryReadNext(out var record))
        {
            payloads.Add(System.Text.Encoding.ASCII.GetString(record.Payload));
        }

        return payloads;
    }

    private static List<(long Number, long Offset)> LatestCommits(string directory)
    {
        var bytes = File.ReadAllBytes(Path.Combine(directory, WalCommitFile.FileName));
        var found = new List<(long, long)>();
        for (var offset = 0; offset < bytes.Length; offset += WalCommitFile.SlotSize)
        {
            if (WalCommitFile.TryDecode(bytes.AsSpan(offset, WalCommitFile.SlotSize), out var number, out _))
            {
                found.Add((number, offset));
            }
        }

        return found;
    }
}
