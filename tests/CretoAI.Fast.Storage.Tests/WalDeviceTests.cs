namespace CretoAI.Fast.Storage.Tests;

/// <summary>
/// The format-4 WAL's device: pages go through the page cache and are flushed by the commit, before its
/// record is written, so no commit returns with a written page unflushed.
/// </summary>
public sealed class WalDeviceTests
{
    private static readonly WalOptions SmallPages = new() { PageSizeBits = 14, MemorySizeBits = 16, SegmentSizeBits = 20 };

    [Fact]
    public void A_format_4_log_uses_it_and_every_commit_leaves_no_written_segment_unflushed()
    {
        using var dir = new TempDirectory();
        using var wal = WriteAheadLog.Open(dir.Path, SmallPages);
        var device = Assert.IsType<WalDevice>(wal.Device);
        for (var i = 0; i < 300; i++)
        {
            // 3 KiB records over 16 KiB pages and 1 MiB segments: pages fill and segments change between commits.
            wal.Append(WalRecordKind.Block, TestData.Value(i, 3_000));
            if (i % 7 == 6)
            {
                wal.Commit();
                Assert.Equal(0, device.UnsyncedSegments);
            }
        }

        wal.Commit();
        Assert.Equal(0, device.UnsyncedSegments);
        Assert.True(Directory.GetFiles(dir.Path, "wal.log.*").Length > 0);
    }

    [Fact]
    public void Records_over_several_segments_read_back_after_reopen_and_removed_segments_are_deleted()
    {
        using var dir = new TempDirectory();
        using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            for (var i = 0; i < 1_000; i++)
            {
                wal.Append(WalRecordKind.Block, TestData.Value(i, 3_000));
            }

            wal.Commit();
        }

        var segments = Directory.GetFiles(dir.Path, "wal.log.*").Length;
        Assert.True(segments >= 3, $"{segments} segments");
        using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            var records = ReadPayloads(wal);
            Assert.Equal(1_000, records.Count);
            for (var i = 0; i < records.Count; i++)
            {
                Assert.Equal(TestData.Value(i, 3_000), records[i]);
            }
        }

        using var device = new WalDevice(Path.Combine(dir.Path, "wal.log"));
        device.RemoveSegment(0);
        Assert.False(File.Exists(Path.Combine(dir.Path, "wal.log.0")));
        Assert.True(File.Exists(Path.Combine(dir.Path, "wal.log.1")));
    }

    private static List<byte[]> ReadPayloads(WriteAheadLog wal)
    {
        var payloads = new List<byte[]>();
        using var reader = wal.Scan(wal.BeginAddress);
        while (reader.TryReadNext(out var record))
        {
            payloads.Add(record.Payload.ToArray());
        }

        return payloads;
    }
}
