namespace CretoAI.Fast.Simulation;

/// <summary>
/// xoshiro256** seeded through SplitMix64: a PRNG whose sequence is fixed by the seed on every
/// platform and runtime version (System.Random promises neither), so a seed replays exactly.
/// </summary>
public sealed class DeterministicRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public DeterministicRandom(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, bound) (bound &gt; 0), without modulo bias worth caring about for simulation.</summary>
    public int Next(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        return (int)(NextUInt64() % (ulong)bound);
    }

    /// <summary>Uniform in [min, max).</summary>
    public long Next(long min, long max) => min + (long)(NextUInt64() % (ulong)(max - min));

    /// <summary>True with probability <paramref name="perMille"/>/1000 (integer, so no floating point in the schedule).</summary>
    public bool Chance(int perMille) => perMille > 0 && Next(1000) < perMille;

    public DeterministicRandom Fork() => new(NextUInt64());

    private static ulong SplitMix(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
