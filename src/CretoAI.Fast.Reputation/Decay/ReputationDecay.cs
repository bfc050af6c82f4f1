using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CretoAI.Fast.Reputation.Decay;

/// <summary>
/// Decay of reputation scores toward the neutral <see cref="StartPpm"/> with a half-life, in integer fixed
/// point so that every validator computes bit-identical scores (they are replicated state).
/// </summary>
/// <remarks>
/// <para>
/// Time is measured in committed block timestamps, quantised into ticks of half-life / <see cref="TicksPerHalfLife"/>
/// (1,265,625 ms for the default 30-day half-life). A subject stores its score and the absolute tick at which it
/// was last decayed; decaying by the elapsed ticks on read (the lazy path, <see cref="Decay"/>) and decaying
/// everything at an epoch boundary (<see cref="DecayBatch(ReadOnlySpan{uint}, ReadOnlySpan{uint}, uint, Span{uint})"/>)
/// give the same value for the same elapsed ticks. Ticks rather than milliseconds keep the whole fraction of a
/// half-life in 11 bits, so one 2048-entry table replaces an exponential.
/// </para>
/// <para>
/// The decay function (normative): with d = score − 500,000 (signed), a = |d|, h = elapsed &gt;&gt; 11 (whole
/// half-lives) and j = elapsed &amp; 2047,
/// a′ = (a × F[j]) &gt;&gt; (31 + h), and a′ = 0 when 31 + h ≥ 64; the result is 500,000 + sign(d) × a′.
/// F[j] = 2^31 × 2^(−j/2048) rounded to nearest, built with integer arithmetic only (see <see cref="DecayFactors"/>),
/// so no machine depends on its floating-point library. The shift truncates the distance, so rounding is always
/// toward 0.5: a score never overshoots the neutral value, never moves away from it, and is exactly 500,000 from
/// 19 whole half-lives on (a ≤ 500,000 &lt; 2^19 and F ≤ 2^31, so a × F &lt; 2^50).
/// </para>
/// </remarks>
public static partial class ReputationDecay
{
    /// <summary>Ticks in one half-life: the resolution of time for decay (2^11, one table entry per tick).</summary>
    public const int TicksPerHalfLife = 2048;

    /// <summary>The neutral score (0.5), where every subject starts and toward which every score decays.</summary>
    public const uint StartPpm = 500_000;

    /// <summary>The largest score (1.0); scores are parts per million.</summary>
    public const uint MaxPpm = 1_000_000;

    private const int HalfLifeShift = 11;
    private const uint FractionMask = TicksPerHalfLife - 1;

    /// <summary>
    /// Whole half-lives beyond which the shift 31 + h reaches 64 and the distance is 0 by definition. (With
    /// a &lt; 2^19 it is already 0 from h = 19; the definition does not rely on that.)
    /// </summary>
    private const uint LastShiftedHalfLives = 32;

    /// <summary>The length of one tick for a half-life.</summary>
    /// <param name="halfLifeMs">The half-life in milliseconds: a positive multiple of 2048 ms, so a tick is a whole number of milliseconds.</param>
    /// <exception cref="ArgumentOutOfRangeException">The half-life is 0 or not a multiple of 2048 ms.</exception>
    public static ulong TickLengthMs(ulong halfLifeMs)
    {
        if (halfLifeMs == 0 || halfLifeMs % TicksPerHalfLife != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(halfLifeMs), halfLifeMs, $"A half-life must be a positive multiple of {TicksPerHalfLife} ms.");
        }

        return halfLifeMs / TicksPerHalfLife;
    }

    /// <summary>The absolute tick of a committed block timestamp: ⌊timestamp / tick length⌋.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The tick length is 0, or the tick does not fit 32 bits.</exception>
    public static uint TickOf(ulong timestampMs, ulong tickLengthMs)
    {
        if (tickLengthMs == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tickLengthMs), tickLengthMs, "A tick must be at least 1 ms long.");
        }

        var tick = timestampMs / tickLengthMs;
        if (tick > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(timestampMs), timestampMs, $"Timestamp {timestampMs} ms is tick {tick}, beyond the 32-bit tick range for a {tickLengthMs} ms tick.");
        }

        return (uint)tick;
    }

    /// <summary>The lazy path: one score decayed by <paramref name="elapsedTicks"/> (now − the tick it was last decayed at).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The score is above <see cref="MaxPpm"/>.</exception>
    public static uint Decay(uint scorePpm, uint elapsedTicks)
    {
        if (scorePpm > MaxPpm)
        {
            ThrowScoreOutOfRange(scorePpm);
        }

        return DecayInRange(scorePpm, elapsedTicks);
    }

    /// <summary>
    /// Decays many scores to <paramref name="nowTick"/>: output[i] = <see cref="Decay"/>(scores[i], nowTick − lastTicks[i]),
    /// bit for bit, with the widest vector kernel the CPU accelerates. All spans have the same length;
    /// <paramref name="output"/> may be <paramref name="scores"/> itself (decay in place) but must not otherwise
    /// overlap an input. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length, or the output partly overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A score is above <see cref="MaxPpm"/> or a last tick is after <paramref name="nowTick"/>; the message names the
    /// first such index. The output is then partly written.
    /// </exception>
    public static void DecayBatch(ReadOnlySpan<uint> scores, ReadOnlySpan<uint> lastTicks, uint nowTick, Span<uint> output) =>
        DecayBatch(scores, lastTicks, nowTick, output, DecayKernel.Auto);

    internal static void DecayBatch(ReadOnlySpan<uint> scores, ReadOnlySpan<uint> lastTicks, uint nowTick, Span<uint> output, DecayKernel kernel)
    {
        if (lastTicks.Length != scores.Length || output.Length != scores.Length)
        {
            throw new ArgumentException($"Scores ({scores.Length}), last ticks ({lastTicks.Length}) and output ({output.Length}) must have the same length.", nameof(output));
        }

        // A vector kernel reads a block before it writes it, so only the exact in-place case is safe.
        if ((scores.Overlaps(output, out var offset) && offset != 0) || lastTicks.Overlaps(output))
        {
            throw new ArgumentException("The output may be the scores span itself but must not otherwise overlap an input.", nameof(output));
        }

        switch (Resolve(kernel))
        {
            case DecayKernel.Vector512:
                DecayBatch512(scores, lastTicks, nowTick, output);
                break;
            case DecayKernel.Vector256:
                DecayBatch256(scores, lastTicks, nowTick, output);
                break;
            default:
                DecayBatchScalar(scores, lastTicks, nowTick, output, 0);
                break;
        }
    }

    /// <summary>Resolves <see cref="DecayKernel.Auto"/>; a requested width the CPU lacks falls back to a narrower one.</summary>
    internal static DecayKernel Resolve(DecayKernel requested)
    {
        if (requested == DecayKernel.Scalar)
        {
            return DecayKernel.Scalar;
        }

        // The 512-bit kernel gathers with two 256-bit AVX2 gathers (.NET 10 exposes no AVX-512 gather).
        var has512 = Avx512F.IsSupported && Avx2.IsSupported;
        if ((requested == DecayKernel.Vector512 && has512) || (requested == DecayKernel.Auto && has512 && Vector512.IsHardwareAccelerated))
        {
            return DecayKernel.Vector512;
        }

        return Avx2.IsSupported ? DecayKernel.Vector256 : DecayKernel.Scalar;
    }

    /// <summary>The decay function for a score already checked to be at most <see cref="MaxPpm"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint DecayInRange(uint scorePpm, uint elapsedTicks)
    {
        Debug.Assert(scorePpm <= MaxPpm, "Callers check the range.");
        var halfLives = elapsedTicks >> HalfLifeShift;
        if (halfLives > LastShiftedHalfLives)
        {
            return StartPpm;
        }

        // The sign is applied with a mask, not a branch: scores sit on both sides of the start at random, and a
        // mispredicted branch per score would cost more than the whole computation.
        var distance = (int)scorePpm - (int)StartPpm;
        var sign = distance >> 31;
        var magnitude = (uint)((distance ^ sign) - sign);
        var decayed = (int)(((ulong)magnitude * DecayFactors.Table[elapsedTicks & FractionMask]) >> (DecayFactors.FractionScaleBits + (int)halfLives));
        return (uint)((int)StartPpm + ((decayed ^ sign) - sign));
    }

    /// <summary>Reports the first bad element of [0, <paramref name="end"/>); called only when one is known to exist.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowFirstOutOfRange(ReadOnlySpan<uint> scores, ReadOnlySpan<uint> lastTicks, uint nowTick, int end)
    {
        for (var i = 0; i < end; i++)
        {
            if (scores[i] > MaxPpm || lastTicks[i] > nowTick)
            {
                ThrowElementOutOfRange(scores, lastTicks, i, nowTick);
            }
        }

        throw new UnreachableException("A vector kernel flagged an element out of range but none is.");
    }

    [DoesNotReturn]
    private static void ThrowElementOutOfRange(ReadOnlySpan<uint> scores, ReadOnlySpan<uint> lastTicks, int index, uint nowTick)
    {
        if (scores[index] > MaxPpm)
        {
            throw new ArgumentOutOfRangeException(nameof(scores), scores[index], $"Element {index}: score {scores[index]} ppm is above {MaxPpm}.");
        }

        throw new ArgumentOutOfRangeException(nameof(lastTicks), lastTicks[index], $"Element {index}: last tick {lastTicks[index]} is after the current tick {nowTick}.");
    }

    [DoesNotReturn]
    private static void ThrowScoreOutOfRange(uint scorePpm) =>
        throw new ArgumentOutOfRangeException(nameof(scorePpm), scorePpm, $"A score is at most {MaxPpm} ppm.");
}
