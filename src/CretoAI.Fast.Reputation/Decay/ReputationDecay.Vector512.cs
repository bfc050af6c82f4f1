using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CretoAI.Fast.Reputation.Decay;

/// <summary>AVX-512 kernel: 16 scores per step; the tail (fewer than 16) goes through the scalar kernel.</summary>
public static partial class ReputationDecay
{
    internal static unsafe void DecayBatch512(ReadOnlySpan<uint> scores, ReadOnlySpan<uint> lastTicks, uint nowTick, Span<uint> output)
    {
        var i = 0;
        if (Avx512F.IsSupported && Avx2.IsSupported)
        {
            ref var score0 = ref MemoryMarshal.GetReference(scores);
            ref var lastTick0 = ref MemoryMarshal.GetReference(lastTicks);
            ref var output0 = ref MemoryMarshal.GetReference(output);
            var now = Vector512.Create(nowTick);
            var maxScore = Vector512.Create(MaxPpm);
            var start = Vector512.Create(StartPpm);
            var fractionMask = Vector512.Create(FractionMask);
            var lastShifted = Vector512.Create(LastShiftedHalfLives);
            var scaleBits = Vector512.Create((uint)DecayFactors.FractionScaleBits);
            var low32 = Vector512.Create(0xFFFF_FFFFUL);
            var anyBad = Vector512<uint>.Zero;
            fixed (uint* table = DecayFactors.Table)
            {
                for (; i <= scores.Length - Vector512<uint>.Count; i += Vector512<uint>.Count)
                {
                    var score = Vector512.LoadUnsafe(ref score0, (nuint)i);
                    var lastTick = Vector512.LoadUnsafe(ref lastTick0, (nuint)i);

                    // Validation rides along: one compare pair per block, the index is looked up only on failure.
                    var bad = Vector512.GreaterThan(score, maxScore) | Vector512.GreaterThan(lastTick, now);
                    anyBad |= bad;

                    var elapsed = now - lastTick;
                    var fraction = (elapsed & fractionMask).AsInt32();
                    var factor = Vector512.Create(
                        Avx2.GatherVector256(table, fraction.GetLower(), sizeof(uint)),
                        Avx2.GatherVector256(table, fraction.GetUpper(), sizeof(uint)));

                    // Clamping h to 32 caps the shift at 63 instead of 64: the product is below 2^50, so both give 0.
                    var shift = Vector512.Min(elapsed >> HalfLifeShift, lastShifted) + scaleBits;
                    var distance = score.AsInt32() - start.AsInt32();
                    var sign = Vector512.ShiftRightArithmetic(distance, 31).AsUInt32();
                    var magnitude = (distance.AsUInt32() ^ sign) - sign;

                    // 32 × 32 → 64-bit products without widening permutes: vpmuludq multiplies the even lanes
                    // in place, and the odd lanes after a 32-bit shift down; each result is below 2^19.
                    var even = Avx512F.ShiftRightLogicalVariable(Avx512F.Multiply(magnitude, factor), shift.AsUInt64() & low32);
                    var odd = Avx512F.ShiftRightLogicalVariable(
                        Avx512F.Multiply((magnitude.AsUInt64() >> 32).AsUInt32(), (factor.AsUInt64() >> 32).AsUInt32()),
                        shift.AsUInt64() >> 32);
                    var decayed = (even | (odd << 32)).AsUInt32();
                    var result = start + ((decayed ^ sign) - sign);

                    // A bad lane keeps its input, so the index can still be found when the output is the scores.
                    Vector512.ConditionalSelect(bad, score, result).StoreUnsafe(ref output0, (nuint)i);
                }
            }

            if (anyBad != Vector512<uint>.Zero)
            {
                ThrowFirstOutOfRange(scores, lastTicks, nowTick, i);
            }
        }

        DecayBatchScalar(scores, lastTicks, nowTick, output, i);
    }
}
