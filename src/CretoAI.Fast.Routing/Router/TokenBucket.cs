namespace CretoAI.Fast.Routing.Router;

/// <summary>
/// A sender's rate budget: a token bucket in integer micro-tokens, refilled from an injected
/// millisecond clock. One send costs one token, a tag fan-out <see cref="RouterSettings.FanOutCost"/>.
/// The refill rate comes from the sender's reputation (<see cref="RatePerSecond"/>), so a better
/// reputation buys a larger budget. Not thread-safe: each logged-in agent's bucket is touched by its
/// connection's read loop only.
/// </summary>
public struct TokenBucket
{
    private const long Micro = 1_000_000;

    private long _microTokens;
    private long _lastMs;
    private bool _started;

    /// <summary>Messages per second an agent with <paramref name="reputationPpm"/> may send: linear from the minimum at 0 to the maximum at 1,000,000 ppm.</summary>
    public static long RatePerSecond(uint reputationPpm, RouterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var ppm = Math.Min(reputationPpm, 1_000_000u);
        return settings.RateMinPerSecond + ((settings.RateMaxPerSecond - (long)settings.RateMinPerSecond) * ppm / 1_000_000);
    }

    /// <summary>Whole tokens available now (for tests and logs).</summary>
    public readonly long Tokens => _microTokens / Micro;

    /// <summary>Takes <paramref name="cost"/> tokens if the bucket has them after refilling to <paramref name="nowMs"/>; a new bucket starts full.</summary>
    public bool TryTake(long cost, long ratePerSecond, long burstSeconds, long nowMs)
    {
        var capacity = ratePerSecond * burstSeconds * Micro;
        if (!_started)
        {
            _started = true;
            _microTokens = capacity;
            _lastMs = nowMs;
        }
        else if (nowMs > _lastMs)
        {
            // rate tokens per second = rate × 1,000 micro-tokens per millisecond.
            var elapsed = Math.Min(nowMs - _lastMs, burstSeconds * 1000);
            _microTokens = Math.Min(capacity, _microTokens + (elapsed * ratePerSecond * 1000));
            _lastMs = nowMs;
        }

        // A budget that shrank (reputation fell) caps what was saved at the old rate.
        _microTokens = Math.Min(_microTokens, capacity);
        var needed = cost * Micro;
        if (_microTokens < needed)
        {
            return false;
        }

        _microTokens -= needed;
        return true;
    }
}
