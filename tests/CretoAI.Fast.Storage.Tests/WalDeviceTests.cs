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

    [Fact]
    public unsafe void A_short_read_is_zero_filled_and_reports_what_was_read()
    {
        using var dir = new TempDirectory();
        using var device = new WalDevice(Path.Combine(dir.Path, "wal.log"));
        device.Initialize(1L << 20);
        var data = TestData.Value(3, 100);
        var buffer = new byte[512];
        uint written = 0, writeError = 1;
        fixed (byte* source = data)
        {
            device.WriteAsync((IntPtr)source, 0, 0, (uint)data.Length, (error, bytes, _) => (writeError, written) = (error, bytes), null!);
        }

        Assert.Equal((0u, 100u), (writeError, written));
        Array.Fill(buffer, (byte)0xFF);
        uint read = 0, readError = 1;
        fixed (byte* destination = buffer)
        {
            device.ReadAsync(0, 0, (IntPtr)destination, (uint)buffer.Length, (error, bytes, _) => (readError, read) = (error, bytes), null!);
        }

        Assert.Equal((0u, 100u), (readError, read));
        Assert.Equal(data, buffer[..100]);
        Assert.All(buffer[100..], b => Assert.Equal(0, b));
    }

    [Fact]
    public unsafe void A_failed_write_is_reported_through_the_callback_not_thrown()
    {
        using var dir = new TempDirectory();
        var device = new WalDevice(Path.Combine(dir.Path, "wal.log"));
        device.Initialize(1L << 20);
        device.Dispose();
        var data = new byte[512];
        uint error = 0, written = 1;
        fixed (byte* source = data)
        {
            device.WriteAsync((IntPtr)source, 0, 0, (uint)data.Length, (e, bytes, _) => (error, written) = (e, bytes), null!);
        }

        Assert.NotEqual(0u, error);
        Assert.Equal(0u, written);
        Assert.Throws<ObjectDisposedException>(device.SyncWritten);
    }

    [Fact]
    public void A_segment_that_cannot_be_deleted_is_counted_and_truncation_goes_on()
    {
        using var dir = new TempDirectory();
        using var device = new WalDevice(Path.Combine(dir.Path, "wal.log"));
        device.Initialize(1L << 20);

        // A directory where segment 7's file would be: unlink fails, even for root.
        Directory.CreateDirectory(Path.Combine(dir.Path, "wal.log.7"));
        var called = false;
        device.RemoveSegmentAsync(7, _ => called = true, null!);
        Assert.True(called);
        Assert.Equal(1, device.DeleteFailures);
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
