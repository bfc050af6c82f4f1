using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CretoAI.Fast.Consensus.Weights;

/// <summary>
/// Exact ⌊n / d⌋ for many n and one d, in SIMD lanes where there is no integer divide. A double
/// reciprocal gives an estimate that is off by at most one whenever n &lt; 2^64 and the quotient &lt; 2^40
/// (four roundings of relative error 2^-53 each stay below 2^-40 absolute); one integer step with the
/// remainder n − q·d then fixes it. The result is therefore the exact integer floor on every machine —
/// the floating point only guesses, integers decide. The native (non-saturating) double→integer conversion
/// is enough: every estimate that is kept is in 0..2^40; lanes the caller masks away may hold anything.
/// </summary>
internal readonly struct ExactDivisor
{
    public ExactDivisor(ulong divisor)
    {
        if (divisor == 0 || divisor > long.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "The divisor must be in 1..2^63−1.");
        }

        Divisor = divisor;
        Reciprocal = 1.0 / divisor;
    }

    public ulong Divisor { get; }

    public double Reciprocal { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Divide(ulong numerator) => numerator / Divisor;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Divide(Vector512<ulong> numerator, Vector512<ulong> divisor, Vector512<double> reciprocal)
    {
        var quotient = Vector512.ConvertToUInt64Native(Vector512.ConvertToDouble(numerator) * reciprocal);
        var remainder = numerator - (quotient * divisor);

        // Estimate one too high: the remainder went negative; add the all-ones mask (−1) and restore it.
        var tooHigh = Vector512.LessThan(remainder.AsInt64(), Vector512<long>.Zero).AsUInt64();
        quotient += tooHigh;
        remainder += divisor & tooHigh;

        // Estimate one too low: the remainder is a whole divisor or more; subtracting all-ones adds 1.
        var tooLow = Vector512.GreaterThanOrEqual(remainder.AsInt64(), divisor.AsInt64()).AsUInt64();
        return quotient - tooLow;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Divide(Vector256<ulong> numerator, Vector256<ulong> divisor, Vector256<double> reciprocal)
    {
        var quotient = Vector256.ConvertToUInt64Native(Vector256.ConvertToDouble(numerator) * reciprocal);
        var remainder = numerator - (quotient * divisor);
        var tooHigh = Vector256.LessThan(remainder.AsInt64(), Vector256<long>.Zero).AsUInt64();
        quotient += tooHigh;
        remainder += divisor & tooHigh;
        var tooLow = Vector256.GreaterThanOrEqual(remainder.AsInt64(), divisor.AsInt64()).AsUInt64();
        return quotient - tooLow;
    }
}
