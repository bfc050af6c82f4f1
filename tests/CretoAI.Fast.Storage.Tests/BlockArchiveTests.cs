using CretoAI.Fast.Storage.Blocks;

namespace CretoAI.Fast.Storage.Tests;

public sealed class BlockArchiveTests
{
    private static byte[] Payload(ulong height) => Enumerable.Range(0, 100 + (int)(height * 7 % 50)).Select(i => (byte)(i ^ (int)height)).ToArray();

    [Fact]
    public void Blocks_read_back_after_reopen()
    {
        using var dir = new TempDirectory();
        using (var archive = BlockArchive.Open(dir.Path))
        {
            for (ulong h = 1; h <= 20; h++)
            {
                archive.Append(h, Payload(h));
            }

            archive.Flush();
        }

        using var reopened = BlockArchive.Open(dir.Path);
        Assert.Null(reopened.Repair);
        Assert.Equal(20UL, reopened.Height);
        for (ulong h = 1; h <= 20; h++)
        {
            Assert.True(reopened.TryRead(h, out var payload));
            Assert.Equal(Payload(h), payload);
        }

        Assert.False(reopened.TryRead(21, out _));
        Assert.False(reopened.TryRead(0, out _));
    }

    [Fact]
    public void Heights_must_be_consecutive()
    {
        using var dir = new TempDirectory();
        using var archive = BlockArchive.Open(dir.Path);
        archive.Append(1, Payload(1));
        Assert.Throws<ArgumentException>(() => archive.Append(3, Payload(3)));
        Assert.Throws<ArgumentException>(() => archive.Append(1, Payload(1)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(60)]
    public void A_torn_tail_is_truncated_to_the_last_whole_block(int cut)
    {
        using var dir = new TempDirectory();
        using (var archive = BlockArchive.Open(dir.Path))
        {
            for (ulong h = 1; h <= 5; h++)
            {
                archive.Append(h, Payload(h));
            }
        }

        var file = Path.Combine(dir.Path, BlockArchive.FileName);
        var length = new FileInfo(file).Length;
        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(length - cut);
        }

        using var repaired = BlockArchive.Open(dir.Path);
        Assert.Equal(4UL, repaired.Height);
        Assert.NotNull(repaired.Repair);
        Assert.Contains("block 5", repaired.Repair, StringComparison.Ordinal);
        repaired.Append(5, Payload(5));
        Assert.True(repaired.TryRead(5, out var payload));
        Assert.Equal(Payload(5), payload);
    }

    [Fact]
    public void A_damaged_last_block_is_dropped_and_a_damaged_earlier_one_fails_its_read()
    {
        using var dir = new TempDirectory();
        using (var archive = BlockArchive.Open(dir.Path))
        {
            for (ulong h = 1; h <= 3; h++)
            {
                archive.Append(h, Payload(h));
            }
        }

        var file = Path.Combine(dir.Path, BlockArchive.FileName);
        var bytes = File.ReadAllBytes(file);
        bytes[^3] ^= 0x5A; // inside block 3's payload
        bytes[BlockArchive.HeaderSize + 5] ^= 0x5A; // inside block 1's payload
        File.WriteAllBytes(file, bytes);

        using var repaired = BlockArchive.Open(dir.Path);
        Assert.Equal(2UL, repaired.Height);
        Assert.Contains("checksum", repaired.Repair, StringComparison.Ordinal);
        Assert.True(repaired.TryRead(2, out _));
        var error = Assert.Throws<StorageException>(() => repaired.TryRead(1, out _));
        Assert.Contains("block 1", error.Message, StringComparison.Ordinal);
    }
}
