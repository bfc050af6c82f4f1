using System.Buffers;
using System.Diagnostics;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// A frame payload encoded once and shared by every validator link that sends it. Its bytes live in
/// an array from a pool the node keeps; each link queue holding the payload owns one reference, and
/// the last <see cref="Release"/> (after a link's writer copied it into its connection's pipe, or
/// its queue dropped it) gives the array back.
/// </summary>
/// <remarks>
/// A leader's proposal is up to a few MiB. A fresh array per proposal was a large-object allocation
/// the kernel had to fault in page by page (a top source of page faults on a loaded cluster) and
/// the collector had to account for. A pooled array is warm.
/// </remarks>
internal sealed class SharedPayload
{
    private readonly ArrayPool<byte>? _pool;
    private byte[] _array;
    private int _references;

    private SharedPayload(byte[] array, int length, ArrayPool<byte>? pool)
    {
        _array = array;
        Length = length;
        _pool = pool;
        _references = 1;
    }

    public int Length { get; }

    /// <summary>The payload; valid while the caller holds a reference.</summary>
    public ReadOnlySpan<byte> Span
    {
        get
        {
            Debug.Assert(Volatile.Read(ref _references) > 0, "a released payload was read");
            return _array.AsSpan(0, Length);
        }
    }

    /// <summary>A copy of <paramref name="bytes"/> in an array from <paramref name="pool"/>; the caller holds the one reference.</summary>
    public static SharedPayload CopyOf(ReadOnlySpan<byte> bytes, ArrayPool<byte> pool)
    {
        var array = pool.Rent(bytes.Length);
        bytes.CopyTo(array);
        return new SharedPayload(array, bytes.Length, pool);
    }

    /// <summary>An array nobody else writes to, sent as it is (no pool: releasing it does nothing).</summary>
    public static SharedPayload Of(byte[] bytes) => new(bytes, bytes.Length, null);

    /// <summary>Takes another reference, for a queue that will send the payload later.</summary>
    public void AddReference()
    {
        var references = Interlocked.Increment(ref _references);
        Debug.Assert(references > 1, "a reference was taken to a released payload");
    }

    /// <summary>Drops one reference; the last gives the array back to its pool.</summary>
    public void Release()
    {
        var references = Interlocked.Decrement(ref _references);
        Debug.Assert(references >= 0, "a payload was released more often than referenced");
        if (references == 0 && _pool is not null)
        {
            var array = _array;
            _array = [];
            _pool.Return(array);
        }
    }
}
