using System.Diagnostics;

namespace CretoAI.Fast.Storage;

/// <summary>
/// Lets any number of writers through until a checkpoint closes it; closing waits for writers already
/// inside to leave. One interlocked increment and decrement per write, no allocation, no kernel object.
/// A checkpoint needs this so every shard's snapshot reflects exactly the same set of writes.
/// </summary>
internal sealed class WriteGate
{
    private int _inside;
    private volatile bool _closed;

    public void Enter()
    {
        while (true)
        {
            Interlocked.Increment(ref _inside);
            if (!_closed)
            {
                return;
            }

            Interlocked.Decrement(ref _inside);
            var spinner = default(SpinWait);
            while (_closed)
            {
                spinner.SpinOnce();
            }
        }
    }

    public void Exit()
    {
        var left = Interlocked.Decrement(ref _inside);
        Debug.Assert(left >= 0, "WriteGate.Exit without Enter");
    }

    /// <summary>Closes the gate and returns once no writer is inside. Only one closer at a time.</summary>
    public void Close()
    {
        Debug.Assert(!_closed, "WriteGate closed twice");
        _closed = true;
        Interlocked.MemoryBarrier();
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _inside) != 0)
        {
            spinner.SpinOnce();
        }
    }

    public void Open() => _closed = false;
}
