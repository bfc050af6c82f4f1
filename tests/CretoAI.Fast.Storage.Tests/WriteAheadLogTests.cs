using System.Text;

namespace CretoAI.Fast.Storage.Tests;

public sealed class WriteAheadLogTests
{
    private static readonly WalOptions SmallPages = new() { PageSizeBits = 14, MemorySizeBits = 16, SegmentSizeBits = 20 };

    [Fact]
    public void Appended_and_committed_records_scan_back_in_order_after_reopen()
    {
        using var dir = new TempDirectory();
        var addresses = new List<long>();
        using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            for (var i = 0; i < 500; i++)
            {
                addresses.Add(wal.Append(i % 2 == 0 ? WalRecordKind.Block : WalRecordKind.Certificate, TestData.Value(i, i % 300)));
            }

            wal.Commit();
        }

        using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            Assert.True(wal.Recovery.IsClean);
            Assert.Equal(500, wal.Recovery.RecordCount);
            using var reader = wal.Scan(wal.BeginAddress);
            var i = 0;
            while (reader.TryReadNext(out var record))
            {
                Assert.Equal(addresses[i], record.Address);
                Assert.Equal(i % 2 == 0 ? WalRecordKind.Block : WalRecordKind.Certificate, record.Kind);
                Assert.True(record.Payload.SequenceEqual(TestData.Value(i, i % 300)), $"record {i}");
                i++;
            }

            Assert.Equal(500, i);
            Assert.Null(reader.StopReason);

            // Scanning from the middle starts at that record.
            using var middle = wal.Scan(addresses[250]);
            Assert.True(middle.TryReadNext(out var first));
            Assert.Equal(addresses[250], first.Address);
        }
    }

    [Fact]
    public void Appends_continue_after_reopen()
    {
        using var dir = new TempDirectory();
        using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            wal.Append(WalRecordKind.Block, "one"u8);
            wal.Commit();
        }

        using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            wal.Append(WalRecordKind.Block, "two"u8);
            wal.Commit();
        }

        using var reopened = WriteAheadLog.Open(dir.Path, SmallPages);
        Assert.Equal(["one", "two"], ReadAll(reopened));
    }

    [Fact]
    public void Group_commit_makes_concurrent_appends_durable()
    {
        using var dir = new TempDirectory();
        var options = new WalOptions { Durability = WalDurability.GroupCommit, PageSizeBits = 14, MemorySizeBits = 16, SegmentSizeBits = 20 };
        using (var wal = WriteAheadLog.Open(dir.Path, options))
        {
            Parallel.For(0, 4, t =>
            {
                for (var i = 0; i < 50; i++)
                {
                    wal.Append(WalRecordKind.Block, Encoding.ASCII.GetBytes($"{t}:{i}"));
                    wal.Commit();
                }
            });
        }

        using var reopened = WriteAheadLog.Open(dir.Path, options);
        var all = ReadAll(reopened);
        Assert.Equal(200, all.Count);
        for (var t = 0; t < 4; t++)
        {
            // Each writer's records appear in its own order.
            var mine = all.Where(s => s.StartsWith($"{t}:", StringComparison.Ordinal)).ToList();
            Assert.Equal(Enumerable.Range(0, 50).Select(i => $"{t}:{i}"), mine);
        }
    }

    [Fact]
    public void Truncate_drops_records_below_the_address()
    {
        using var dir = new TempDirectory();
        using var wal = WriteAheadLog.Open(dir.Path, SmallPages);
        var addresses = new List<long>();
        for (var i = 0; i < 300; i++)
        {
            addresses.Add(wal.Append(WalRecordKind.Block, TestData.Value(i, 200)));
        }

        wal.Commit();
        wal.TruncateBefore(addresses[200]);
        Assert.Equal(addresses[200], wal.BeginAddress);
        using var reader = wal.Scan(0);
        Assert.True(reader.TryReadNext(out var first));
        Assert.Equal(addresses[200], first.Address);
        var error = Assert.Throws<StorageException>(() => wal.TruncateBefore(wal.TailAddress + 1000));
        Assert.Equal(StorageError.InvalidArgument, error.Error);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        using var dir = new TempDirectory();
        using var wal = WriteAheadLog.Open(dir.Path, new WalOptions { PageSizeBits = 14, MemorySizeBits = 16, SegmentSizeBits = 20, MaxRecordSize = 1 << 16 });
        Assert.Equal(StorageError.InvalidArgument, Assert.Throws<StorageException>(() => wal.Append(WalRecordKind.None, "x"u8)).Error);
        Assert.Equal(StorageError.InvalidArgument, Assert.Throws<StorageException>(() => wal.Append(WalRecordKind.Block, new byte[(1 << 16) + 1])).Error);
    }

    [Fact]
    public void Corrupt_bytes_on_disk_stop_the_log_there_and_refuse_appends()
    {
        using var dir = new TempDirectory();
        var marker = Encoding.ASCII.GetBytes("RECORD-0042-PAYLOAD");
        using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            for (var i = 0; i < 100; i++)
            {
                wal.Append(WalRecordKind.Block, Encoding.ASCII.GetBytes($"RECORD-{i:D4}-PAYLOAD"));
            }

            wal.Commit();
        }

        FlipByteAfter(dir.Path, marker);

        using var reopened = WriteAheadLog.Open(dir.Path, SmallPages);
        Assert.False(reopened.Recovery.IsClean);
        Assert.Equal(42, reopened.Recovery.RecordCount);
        Assert.Contains("checksum", reopened.Recovery.CorruptionReason, StringComparison.Ordinal);

        var seen = ReadAll(reopened);
        Assert.Equal(Enumerable.Range(0, 42).Select(i => $"RECORD-{i:D4}-PAYLOAD"), seen);
        var error = Assert.Throws<StorageException>(() => reopened.Append(WalRecordKind.Block, "late"u8));
        Assert.Equal(StorageError.WalCorrupt, error.Error);
        Assert.Contains(dir.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_header_rejects_every_single_bit_flip()
    {
        var payload = TestData.Value(1, 40);
        var record = new byte[WalRecordHeader.Size + payload.Length];
        payload.CopyTo(record, WalRecordHeader.Size);
        WalRecordHeader.Write(record, WalRecordKind.Certificate, payload);
        Assert.Null(WalRecordHeader.Validate(record, out var kind, out var parsed));
        Assert.Equal(WalRecordKind.Certificate, kind);
        Assert.True(parsed.SequenceEqual(payload));
        for (var bit = 0; bit < record.Length * 8; bit++)
        {
            var damaged = (byte[])record.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotNull(WalRecordHeader.Validate(damaged, out _, out _));
        }

        Assert.NotNull(WalRecordHeader.Validate(record.AsSpan(0, record.Length - 1), out _, out _));
        Assert.NotNull(WalRecordHeader.Validate(record.AsSpan(0, 5), out _, out _));
    }

    internal static List<string> ReadAll(WriteAheadLog wal)
    {
        var result = new List<string>();
        using var reader = wal.Scan(wal.BeginAddress);
        while (reader.TryReadNext(out var record))
        {
            result.Add(Encoding.ASCII.GetString(record.Payload));
        }

        return result;
    }

    private static void FlipByteAfter(string directory, byte[] marker)
    {
        foreach (var file in Directory.GetFiles(directory, "wal.log.*"))
        {
            var bytes = File.ReadAllBytes(file);
            var at = bytes.AsSpan().IndexOf(marker);
            if (at >= 0)
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
                stream.Position = at + 7;
                stream.WriteByte((byte)(bytes[at + 7] ^ 0x01));
                return;
            }
        }

        Assert.Fail("marker not found in any WAL segment");
    }
}
