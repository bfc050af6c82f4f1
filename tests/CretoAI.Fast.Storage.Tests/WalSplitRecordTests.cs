using System.Buffers.Binary;

namespace CretoAI.Fast.Storage.Tests;

/// <summary>Records larger than one WAL page: written in parts, read back whole (storage format 3).</summary>
public sealed class WalSplitRecordTests
{
    private static readonly WalOptions SmallPages = new() { PageSizeBits = 14, MemorySizeBits = 17, SegmentSizeBits = 20 };

    private static int OnePage => SmallPages.MaxPayloadSize;

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(40)]
    public void Records_larger_than_a_page_read_back_whole_at_their_first_address_after_reopen(int pages)
    {
        // Sizes on both sides of every part boundary: the first part also carries the 4-byte total length.
        int[] sizes = [OnePage + 1, OnePage + 4, (pages * OnePage) - 4, (pages * OnePage) - 3, pages * OnePage, (pages * OnePage) + 1];
        using var dir = new TempDirectory();
        var expected = new List<(long Address, WalRecordKind Kind, byte[] Payload)>();
        using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            var n = 0;
            foreach (var size in sizes.Where(s => s > OnePage))
            {
                var small = TestData.Value(n++, 50);
                expected.Add((wal.Append(WalRecordKind.Certificate, small), WalRecordKind.Certificate, small));
                var large = TestData.Value(n++, size);
                expected.Add((wal.Append(WalRecordKind.Block, large), WalRecordKind.Block, large));
            }

            wal.Commit();
        }

        using var reopened = WriteAheadLog.Open(dir.Path, SmallPages);
        Assert.True(reopened.Recovery.IsClean);
        Assert.Equal(expected.Count, reopened.Recovery.RecordCount);
        using var reader = reopened.Scan(reopened.BeginAddress);
        foreach (var (address, kind, payload) in expected)
        {
            Assert.True(reader.TryReadNext(out var record));
            Assert.Equal(address, record.Address);
            Assert.Equal(kind, record.Kind);
            Assert.True(record.Payload.SequenceEqual(payload), $"record at {address} of {payload.Length} bytes");
        }

        Assert.False(reader.TryReadNext(out _));
        Assert.Null(reader.StopReason);
        Assert.Null(reader.IncompleteAddress);

        // A scan may start at a split record's address.
        using var middle = reopened.Scan(expected[^1].Address);
        Assert.True(middle.TryReadNext(out var last));
        Assert.True(last.Payload.SequenceEqual(expected[^1].Payload));
    }

    [Fact]
    public void Split_records_from_many_threads_are_never_interleaved()
    {
        using var dir = new TempDirectory();
        var written = new System.Collections.Concurrent.ConcurrentDictionary<long, byte[]>();
        using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            Parallel.For(0, 4, t =>
            {
                for (var i = 0; i < 25; i++)
                {
                    var payload = TestData.Value((t * 100) + i, 100 + ((t + 1) * i * OnePage / 7));
                    written[wal.Append(WalRecordKind.Block, payload)] = payload;
                }
            });
            wal.Commit();
        }

        using var reopened = WriteAheadLog.Open(dir.Path, SmallPages);
        using var reader = reopened.Scan(reopened.BeginAddress);
        var count = 0;
        while (reader.TryReadNext(out var record))
        {
            Assert.True(written.TryGetValue(record.Address, out var payload), $"no record was appended at {record.Address}");
            Assert.True(record.Payload.SequenceEqual(payload));
            count++;
        }

        Assert.Equal(100, count);
        Assert.Null(reader.StopReason);
    }

    [Fact]
    public void An_incomplete_split_record_at_the_end_is_dropped_and_never_joined_to_later_records()
    {
        // What a commit between two parts, then a crash, leaves: a first part (declaring 3 pages) and
        // a middle part, committed, and nothing after them.
        using var dir = new TempDirectory();
        WriteRecordThenParts(dir.Path, WalRecordFlags.Continues, OnePage);

        using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            Assert.True(wal.Recovery.IsClean);
            Assert.Equal(["before"], WriteAheadLogTests.ReadAll(wal));

            // A later record of the same kind that ends a record must not complete the dropped one.
            wal.Append(WalRecordKind.Block, TestData.Value(9, OnePage));
            wal.Commit();
        }

        using var reopened = WriteAheadLog.Open(dir.Path, SmallPages);
        Assert.True(reopened.Recovery.IsClean);
        using var reader = reopened.Scan(reopened.BeginAddress);
        Assert.True(reader.TryReadNext(out var first));
        Assert.True(first.Payload.SequenceEqual("before"u8));
        Assert.True(reader.TryReadNext(out var second));
        Assert.True(second.Payload.SequenceEqual(TestData.Value(9, OnePage)));
        Assert.False(reader.TryReadNext(out _));
        Assert.Null(reader.StopReason);
    }

    [Fact]
    public void Parts_that_do_not_add_up_to_the_declared_length_stop_the_log_as_corrupt()
    {
        using var dir = new TempDirectory();
        WriteRecordThenParts(dir.Path, WalRecordFlags.None, 10);

        using var reopened = WriteAheadLog.Open(dir.Path, SmallPages);
        Assert.False(reopened.Recovery.IsClean);
        Assert.Equal(1, reopened.Recovery.RecordCount);
        Assert.Contains("split record declares", reopened.Recovery.CorruptionReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_part_of_another_kind_stops_the_log_as_corrupt()
    {
        using var dir = new TempDirectory();
        using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            Span<byte> total = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(total, OnePage + 10);
            wal.AppendPart(WalRecordKind.Block, WalRecordFlags.Continues, total, TestData.Value(7, OnePage - 4));
            wal.AppendPart(WalRecordKind.VotedBlock, WalRecordFlags.None, default, TestData.Value(8, 14));
            wal.Commit();
        }

        using var reopened = WriteAheadLog.Open(dir.Path, SmallPages);
        Assert.False(reopened.Recovery.IsClean);
        Assert.Contains("has kind VotedBlock", reopened.Recovery.CorruptionReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_header_flags_are_refused()
    {
        var payload = TestData.Value(1, 40);
        var record = new byte[WalRecordHeader.Size + payload.Length];
        payload.CopyTo(record, WalRecordHeader.Size);
        WalRecordHeader.Write(record, WalRecordKind.Block, payload, (WalRecordFlags)4);
        Assert.Contains("unknown bits", WalRecordHeader.Validate(record, out _, out _), StringComparison.Ordinal);
        WalRecordHeader.Write(record, WalRecordKind.Block, payload, WalRecordFlags.Continues);
        Assert.Null(WalRecordHeader.Validate(record, out _, out _, out var flags));
        Assert.Equal(WalRecordFlags.Continues, flags);
    }

    // A whole record "before", then the first part of a record declaring 3 pages and a second part
    // with the given flags and length, committed: the split is never completed.
    private static void WriteRecordThenParts(string path, WalRecordFlags secondFlags, int secondLength)
    {
        using var wal = WriteAheadLog.Open(path, SmallPages);
        wal.Append(WalRecordKind.Block, "before"u8);
        Span<byte> total = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(total, 3 * OnePage);
        wal.AppendPart(WalRecordKind.Block, WalRecordFlags.Continues, total, TestData.Value(7, OnePage - 4));
        wal.AppendPart(WalRecordKind.Block, secondFlags, default, TestData.Value(8, secondLength));
        wal.Commit();
    }
}
