using System.Buffers;
using System.IO.Pipelines;
using CretoAI.Fast.Net.Sockets;
using Xunit;

namespace CretoAI.Fast.Net.Tests;

public sealed class SegmentPoolTests
{
    [Fact]
    public void A_returned_block_is_rented_again_instead_of_a_fresh_one()
    {
        var pool = new SegmentPool(4);
        var first = pool.Rent(100);
        var memory = first.Memory;
        Assert.Equal(SegmentPool.BlockSize, memory.Length);
        first.Dispose();
        Assert.Equal(1, pool.Retained);

        var second = pool.Rent(SegmentPool.BlockSize);
        Assert.True(second.Memory.Span == memory.Span); // the same block
        Assert.Equal(0, pool.Retained);
        second.Dispose();
    }

    [Fact]
    public void A_block_disposed_twice_is_kept_once_and_no_more_than_the_bound_are_kept()
    {
        var pool = new SegmentPool(2);
        var owners = Enumerable.Range(0, 5).Select(_ => pool.Rent()).ToList();
        owners[0].Dispose();
        owners[0].Dispose();
        Assert.Equal(1, pool.Retained);
        foreach (var owner in owners.Skip(1))
        {
            owner.Dispose();
        }

        Assert.Equal(2, pool.Retained);
        var a = pool.Rent();
        var b = pool.Rent();
        Assert.False(a.Memory.Span == b.Memory.Span);
    }

    [Fact]
    public void A_request_over_the_block_size_gets_a_one_off_array_that_is_not_kept()
    {
        var pool = new SegmentPool(4);
        var big = pool.Rent(SegmentPool.BlockSize + 1);
        Assert.True(big.Memory.Length > SegmentPool.BlockSize);
        big.Dispose();
        Assert.Equal(0, pool.Retained);
    }

    [Fact]
    public async Task A_pipe_over_the_pool_carries_a_payload_many_blocks_long_and_gives_the_blocks_back()
    {
        var pool = new SegmentPool(1024);
        var pipe = new Pipe(new PipeOptions(pool: pool, minimumSegmentSize: SegmentPool.BlockSize, pauseWriterThreshold: 0));
        var payload = new byte[(10 * SegmentPool.BlockSize) + 123];
        new Random(5).NextBytes(payload);
        pipe.Writer.Write(payload);
        await pipe.Writer.FlushAsync();
        await pipe.Writer.CompleteAsync();

        var read = new List<byte>();
        while (true)
        {
            var result = await pipe.Reader.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                read.AddRange(segment.ToArray());
            }

            pipe.Reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await pipe.Reader.CompleteAsync();
        Assert.Equal(payload, read.ToArray());
        Assert.True(pool.Retained >= 11, $"only {pool.Retained} blocks came back");
    }
}
