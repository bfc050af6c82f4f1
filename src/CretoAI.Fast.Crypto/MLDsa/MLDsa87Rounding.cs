using System.Runtime.CompilerServices;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// Power2Round, Decompose, HighBits/LowBits, MakeHint and UseHint of FIPS 204 section 7.4 for
/// γ2 = (q − 1)/32, in branch-free integer arithmetic (signing applies them to secret values).
/// </summary>
internal static class MLDsa87Rounding
{
    private const int Q = MLDsa87Parameters.Q;
    private const int Gamma2 = MLDsa87Parameters.Gamma2;

    /// <summary>Power2Round (algorithm 35) of r in [0, q): r = r1·2¹³ + r0 with r0 in (−2¹², 2¹²].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Power2Round(int r, out int r0)
    {
        var r1 = (r + (1 << (MLDsa87Parameters.D - 1)) - 1) >> MLDsa87Parameters.D;
        r0 = r - (r1 << MLDsa87Parameters.D);
        return r1;
    }

    /// <summary>
    /// Decompose (algorithm 36) of r in [0, q): returns r1 in [0, 15] and r0 with r = r1·2γ2 + r0 mod q,
    /// including the r − r0 = q − 1 corner case (r1 = 0, r0 − 1). ⌈r/128⌉·1025/2²² equals ⌊r/2γ2⌉ for
    /// every r in range (checked exhaustively when this was written); the last line folds 16 to 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Decompose(int r, out int r0)
    {
        var r1 = (r + 127) >> 7;
        r1 = ((r1 * 1025) + (1 << 21)) >> 22;
        r1 &= 15;
        var low = r - (r1 * 2 * Gamma2);
        low -= ((((Q - 1) / 2) - low) >> 31) & Q;
        r0 = low;
        return r1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int HighBits(int r) => Decompose(r, out _);

    /// <summary>UseHint (algorithm 40) for r in [0, q) and hint 0 or 1; verification only (public data).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int UseHint(int r, int hint)
    {
        var r1 = Decompose(r, out var r0);
        if (hint == 0)
        {
            return r1;
        }

        return r0 > 0 ? (r1 + 1) & 15 : (r1 - 1) & 15;
    }
}
