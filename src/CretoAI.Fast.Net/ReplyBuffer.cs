using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;

namespace CretoAI.Fast.Net;

/// <summary>
/// Where a read batch's inline replies are encoded: a fixed, pooled per-connection buffer that the
/// read loop sends with one direct <c>send(2)</c> at the end of the batch
/// (<see cref="Sockets.SocketPipe.TrySendDirect"/>), without the output pipe's flush and send-loop
/// turn. A batch whose replies do not fit spills: what the buffer holds is copied to the output
/// pipe, and the rest of the batch is written to the pipe directly, so order is kept and memory
/// stays bounded by the buffer plus the pipe's own limits. Used by the read loop only, under the
/// connection's write lock.
/// </summary>
internal sealed class ReplyBuffer : IBufferWriter<byte>
{
    /// <summary>Size of the buffer: a batch of small replies (hundreds of Pongs) fits; more spills.</summary>
    public const int Capacity = 16 * 1024;

    private readonly PipeWriter _spill;
    private byte[]? _buffer;
    private int _written;
    private long _spilled;

    public ReplyBuffer(PipeWriter spill)
    {
        _spill = spill;
        _buffer = ArrayPool<byte>.Shared.Rent(Capacity);
    }

    /// <summary>True once this batch's replies went on into the pipe (they must all be flushed there).</summary>
    public bool HasSpilled { get; private set; }

    /// <summary>The replies of this batch still in the buffer (all of them unless <see cref="HasSpilled"/>).</summary>
    public ReadOnlySpan<byte> Pending => _buffer.AsSpan(0, _written);

    /// <summary>Bytes of replies written in this batch, buffered or spilled.</summary>
    public long BatchBytes => _written + _spilled;

    public void Advance(int count)
    {
        if (HasSpilled)
        {
            _spill.Advance(count);
            _spilled += count;
            return;
        }

        Debug.Assert(_buffer is not null && count >= 0 && _written + count <= _buffer.Length, "advanced past the span handed out");
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) =>
        HasSpilled || !Fits(sizeHint) ? SpillThenPipe().GetMemory(sizeHint) : _buffer.AsMemory(_written);

    public Span<byte> GetSpan(int sizeHint = 0) =>
        HasSpilled || !Fits(sizeHint) ? SpillThenPipe().GetSpan(sizeHint) : _buffer.AsSpan(_written);

    /// <summary>
    /// Moves what the buffer holds to the pipe (unflushed), for a batch that ends with the
    /// replies in the pipe after all: the caller flushes it.
    /// </summary>
    public void MoveToPipe(int alreadySent)
    {
        _spill.Write(_buffer.AsSpan(alreadySent, _written - alreadySent));
        _written = 0;
    }

    /// <summary>Starts the next batch.</summary>
    public void Reset()
    {
        _written = 0;
        _spilled = 0;
        HasSpilled = false;
    }

    /// <summary>The connection ended: gives the buffer back to the pool.</summary>
    public void Release()
    {
        var buffer = _buffer;
        _buffer = null;
        _written = 0;
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool Fits(int sizeHint) => _buffer is not null && _buffer.Length - _written >= Math.Max(sizeHint, 1);

    private PipeWriter SpillThenPipe()
    {
        if (!HasSpilled)
        {
            HasSpilled = true;
            _spilled = _written;
            if (_written > 0)
            {
                _spill.Write(_buffer.AsSpan(0, _written));
                _written = 0;
            }
        }

        return _spill;
    }
}
