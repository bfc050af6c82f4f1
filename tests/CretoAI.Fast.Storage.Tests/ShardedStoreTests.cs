using System.Buffers.Binary;
using CsCheck;

namespace CretoAI.Fast.Storage.Tests;

public sealed class ShardedStoreTests
{
    [Fact]
    public void Upsert_then_read_returns_the_bytes()
    {
        using var dir = new TempDirectory();
        using var store = new ShardedStore(dir.Sub("shards"), dir.Sub("ckpt"), TestData.SmallStore());
        var key = TestData.Key(1);
        var value = TestData.Value(1, 128);
        store.Upsert(key, value);
        var buffer = new byte[256];
        Assert.Equal(ReadResult.Found, store.Read(key, buffer, out var length));
        Assert.Equal(value, buffer[..length]);
    }

    [Fact]
    public void Missing_key_is_not_found()
    {
        using var dir = new TempDirectory();
        using var store = new ShardedStore(dir.Sub("shards"), dir.Sub("ckpt"), TestData.SmallStore());
        Assert.Equal(ReadResult.NotFound, store.Read(TestData.Key(7), new byte[16], out var length));
        Assert.Equal(0, length);
    }

    [Fact]
    public void Overwrite_with_longer_and_shorter_values()
    {
        using var dir = new TempDirectory();
        using var store = new ShardedStore(dir.Sub("shards"), dir.Sub("ckpt"), TestData.SmallStore());
        var key = TestData.Key(3);
        var buffer = new byte[1024];
        foreach (var size in new[] { 10, 10, 500, 3, 0, 64 })
        {
            var value = TestData.Value(size, size);
            store.Upsert(key, value);
            Assert.Equal(ReadResult.Found, store.Read(key, buffer, out var length));
            Assert.Equal(value, buffer[..length]);
        }
    }

    [Fact]
    public void Small_destination_reports_the_needed_length()
    {
        using var dir = new TempDirectory();
        using var store = new ShardedStore(dir.Sub("shards"), dir.Sub("ckpt"), TestData.SmallStore());
        var key = TestData.Key(4);
        store.Upsert(key, TestData.Value(4, 100));
        Assert.Equal(ReadResult.DestinationTooSmall, store.Read(key, new byte[99], out var length));
        Assert.Equal(100, length);
    }

    [Fact]
    public void Delete_removes_the_key()
    {
        using var dir = new TempDirectory();
        using var store = new ShardedStore(dir.Sub("shards"), dir.Sub("ckpt"), TestData.SmallStore());
        var key = TestData.Key(5);
        store.Upsert(key, TestData.Value(5, 8));
        store.Delete(key);
        Assert.Equal(ReadResult.NotFound, store.Read(key, new byte[8], out _));
        store.Delete(TestData.Key(6));
        store.Upsert(key, TestData.Value(9, 8));
        Assert.Equal(ReadResult.Found, store.Read(key, new byte[8], out _));
    }

    [Fact]
    public void Read_modify_write_creates_then_updates()
    {
        using var dir = new TempDirectory();
        using var store = new ShardedStore(dir.Sub("shards"), dir.Sub("ckpt"), TestData.SmallStore());
        var key = TestData.Key(8);
        var delta = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(delta, 5);
        store.ReadModifyWrite(key, CounterUpdater.Instance, delta);
        BinaryPrimitives.WriteInt64LittleEndian(delta, -2);
        store.ReadModifyWrite(key, CounterUpdater.Instance, delta);
        var buffer = new byte[8];
        Assert.Equal(ReadResult.Found, store.Read(key, buffer, out _));
        Assert.Equal(3, BinaryPrimitives.ReadInt64LittleEndian(buffer));
    }

    [Fact]
    public void Read_modify_write_may_change_the_length()
    {
        using var dir = new TempDirectory();
        using var store = new ShardedStore(dir.Sub("shards"), dir.Sub("ckpt"), TestData.SmallStore());
        var key = TestData.Key(9);
        for (var i = 0; i < 20; i++)
        {
            store.ReadModifyWrite(key, AppendUpdater.Instance, [(byte)i]);
        }

        var buffer = new byte[64];
        Assert.Equal(ReadResult.Found, store.Read(key, buffer, out var length));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (byte)i).ToArray(), buffer[..length]);
    }

    [Fact]
    public void Wrong_key_size_and_oversized_value_are_refused()
    {
        using var dir = new TempDirectory();
        using var store = new ShardedStore(dir.Sub("shards"), dir.Sub("ckpt"), TestData.SmallStore());
        var error = Assert.Throws<StorageException>(() => store.Upsert(new byte[31], new byte[1]));
        Assert.Equal(StorageError.InvalidArgument, error.Error);
        Assert.Contains("32-byte keys", error.Message, StringComparison.Ordinal);
        Assert.Throws<StorageException>(() => store.Upsert(TestData.Key(1), new byte[1025]));
        Assert.Throws<StorageException>(() => store.Read(new byte[33], new byte[1], out _));
    }

    [Fact]
    public void Tiny_memory_budget_spills_to_disk_and_pending_reads_complete()
    {
        using var dir = new TempDirectory();
        const int Count = 4000;
        using var store = new ShardedStore(dir.Sub("shards"), dir.Sub("ckpt"), TestData.SmallStore(shards: 2, memory: 64 << 10));
        for (var i = 0; i < Count; i++)
        {
            store.Upsert(TestData.Key(i), TestData.Value(i, 100 + (i % 50)));
        }

        // ~4000 × 180 B is far beyond 2 × 64 KiB: most records now live only in the shard log files.
        Assert.True(Directory.EnumerateFiles(dir.Sub("shards"), "hlog.log*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) > 256 << 10);
        var buffer = new byte[256];
        for (var i = 0; i < Count; i++)
        {
            Assert.Equal(ReadResult.Found, store.Read(TestData.Key(i), buffer, out var length));
            Assert.True(TestData.Value(i, 100 + (i % 50)).AsSpan().SequenceEqual(buffer.AsSpan(0, length)), $"key {i}");
        }

        // Read-modify-write and delete of records that are on disk.
        store.ReadModifyWrite(TestData.Key(0), AppendUpdater.Instance, [42]);
        Assert.Equal(ReadResult.Found, store.Read(TestData.Key(0), buffer, out var grown));
        Assert.Equal(101, grown);
        Assert.Equal(42, buffer[100]);
        store.Delete(TestData.Key(1));
        Assert.Equal(ReadResult.NotFound, store.Read(TestData.Key(1), buffer, out _));
    }

    [Fact]
    public void Keys_are_routed_to_every_shard_and_reads_agree_across_threads()
    {
        using var dir = new TempDirectory();
        using var store = new ShardedStore(dir.Sub("shards"), dir.Sub("ckpt"), TestData.SmallStore(shards: 4, memory: 4 << 20));
        var perShard = new int[4];
        for (var i = 0; i < 1000; i++)
        {
            perShard[store.ShardOf(TestData.Key(i))]++;
        }

        Assert.All(perShard, n => Assert.InRange(n, 150, 350));

        Parallel.For(0, 4, t =>
        {
            var buffer = new byte[64];
            for (var i = t; i < 4000; i += 4)
            {
                store.Upsert(TestData.Key(i), TestData.Value(i, 40));
                Assert.Equal(ReadResult.Found, store.Read(TestData.Key(i), buffer, out var length));
                Assert.Equal(40, length);
            }
        });

        var check = new byte[64];
        for (var i = 0; i < 4000; i++)
        {
            Assert.Equal(ReadResult.Found, store.Read(TestData.Key(i), check, out _));
            Assert.True(TestData.Value(i, 40).AsSpan().SequenceEqual(check.AsSpan(0, 40)));
        }
    }

    [Fact]
    public void Many_short_lived_threads_get_sessions_past_the_bound_session_cap()
    {
        // More threads than a shard binds sessions to (16 on this machine size): later threads reuse the
        // sessions of exited ones or the pool, and every write stays visible.
        using var dir = new TempDirectory();
        using var store = new ShardedStore(dir.Sub("shards"), dir.Sub("ckpt"), TestData.SmallStore(shards: 2));
        const int threads = 80;
        var sawOwnWrite = new bool[threads];
        for (var t = 0; t < threads; t++)
        {
            var id = t;
            var worker = new Thread(() =>
            {
                store.Upsert(TestData.Key(id), TestData.Value(id, 24));
                var buffer = new byte[64];
                sawOwnWrite[id] = store.Read(TestData.Key(id), buffer, out _) == ReadResult.Found;
            });
            worker.Start();
            worker.Join();
        }

        Assert.All(sawOwnWrite, Assert.True);
        var check = new byte[64];
        for (var i = 0; i < threads; i++)
        {
            Assert.Equal(ReadResult.Found, store.Read(TestData.Key(i), check, out var length));
            Assert.True(TestData.Value(i, 24).AsSpan().SequenceEqual(check.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Behaves_like_a_dictionary_under_random_operations()
    {
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 15], Gen.Int[0, 40]).Array[1, 60].Sample(
            ops =>
            {
                using var dir = new TempDirectory();
                using var store = new ShardedStore(dir.Sub("shards"), dir.Sub("ckpt"), TestData.SmallStore(shards: 3));
                var model = new Dictionary<int, byte[]>();
                var buffer = new byte[64];
                var n = 0;
                foreach (var (op, k, len) in ops)
                {
                    var key = TestData.Key(k);
                    switch (op)
                    {
                        case 0:
                            var value = TestData.Value(n++, len);
                            store.Upsert(key, value);
                            model[k] = value;
                            break;
                        case 1:
                            store.Delete(key);
                            model.Remove(k);
                            break;
                        default:
                            var result = store.Read(key, buffer, out var length);
                            if (!model.TryGetValue(k, out var expected))
                            {
                                return result == ReadResult.NotFound;
                            }

                            if (result != ReadResult.Found || !expected.AsSpan().SequenceEqual(buffer.AsSpan(0, length)))
                            {
                                return false;
                            }

                            break;
                    }
                }

                return true;
            },
            iter: 30);
    }
}
