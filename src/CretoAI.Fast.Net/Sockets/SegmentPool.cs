using System.Buffers;
using System.Collections.Concurrent;

namespace CretoAI.Fast.Net.Sockets;

/// <summary>
/// The memory of every <see cref="SocketPipe"/>'s segments: blocks of <see cref="BlockSize"/> bytes,
/// kept for reuse up to <see cref="MaxRetainedBlocks"/> (a bound on what the process keeps, not on
/// what it may use). A larger request gets a one-off array.
/// </summary>
/// <remarks>
/// The shared array pool keeps a few dozen arrays of a size per processor. A validator sending a
/// proposal of a few MiB to three peers, or receiving one, has hundreds of 16 KiB segments in flight,
/// so most were fresh arrays: zeroed by the collector and faulted in by the kernel page by page, a
/// visible share of a loaded cluster's CPU. Blocks kept here stay warm. Each block's owner object is
/// kept with it, so a rent allocates nothing once the pool is warm.
/// </remarks>
public sealed class SegmentPool : MemoryPool<byte>
{
    /// <summary>Bytes per block: the pipes' minimum segment size.</summary>
    public const int BlockSize = 16 * 1024;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _retained;

    public SegmentPool(int maxRetainedBlocks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetainedBlocks);
        MaxRetainedBlocks = maxRetainedBlocks;
    }

    /// <summary>The pool every socket pipe of the process uses: up to 32 MiB of blocks kept.</summary>
    public static SegmentPool Pipes { get; } = new(2048);

    public int MaxRetainedBlocks { get; }

    /// <summary>Blocks waiting for reuse now.</summary>
    public int Retained => Volatile.Read(ref _retained);

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > BlockSize)
        {
            return new Block(null, GC.AllocateUninitializedArray<byte>(minBufferSize));
        }

        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _retained);
            block.Lease();
            return block;
        }

        var fresh = new Block(this, GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true));
        fresh.Lease();
        return fresh;
    }

    protected override void Dispose(bool disposing)
    {
        // Shared by every pipe for the life of the process; blocks are simply left to the collector.
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _retained) <= MaxRetainedBlocks)
        {
            _free.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _retained);
        }
    }

    private sealed class Block(SegmentPool? owner, byte[] array) : IMemoryOwner<byte>
    {
        private int _leased;

        public Memory<byte> Memory => array;

        public void Lease() => Volatile.Write(ref _leased, 1);

        public void Dispose()
        {
            // Once per lease: a pipe disposes each segment's owner exactly once, but a second
            // Dispose must never put one block in the queue twice.
            if (Interlocked.Exchange(ref _leased, 0) == 1)
            {
                owner?.Return(this);
            }
        }
    }
}
