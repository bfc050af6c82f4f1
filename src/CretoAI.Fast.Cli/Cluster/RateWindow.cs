namespace CretoAI.Fast.Cli.Cluster;

/// <summary>
/// A rate over a sliding window (default 5 s): amounts added with their time, summed over the
/// window, divided by the window (or by the time since the first amount, early on). Timestamps are
/// milliseconds from any fixed origin, so tests pass them explicitly. Safe from many threads.
/// </summary>
internal sealed class RateWindow(long windowMs = 5000)
{
    private readonly Queue<(long AtMs, long Amount)> _samples = new();
    private readonly Lock _lock = new();
    private long _sum;
    private long _firstMs = -1;

    public void Add(long nowMs, long amount)
    {
        lock (_lock)
        {
            if (_firstMs < 0)
            {
                _firstMs = nowMs;
            }

            _samples.Enqueue((nowMs, amount));
            _sum += amount;
            Trim(nowMs);
        }
    }

    public double PerSecond(long nowMs)
    {
        lock (_lock)
        {
            Trim(nowMs);
            if (_firstMs < 0)
            {
                return 0;
            }

            var span = Math.Min(windowMs, Math.Max(1000, nowMs - _firstMs));
            return _sum * 1000.0 / span;
        }
    }

    private void Trim(long nowMs)
    {
        while (_samples.Count > 0 && _samples.Peek().AtMs <= nowMs - windowMs)
        {
            _sum -= _samples.Dequeue().Amount;
        }
    }
}
