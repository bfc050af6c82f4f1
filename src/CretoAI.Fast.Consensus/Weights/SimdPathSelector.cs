using System.Runtime.Intrinsics;

namespace CretoAI.Fast.Consensus.Weights;

internal static class SimdPathSelector
{
    /// <summary>Resolves <see cref="SimdPath.Auto"/>; a requested width the CPU lacks falls back to a narrower one.</summary>
    public static SimdPath Resolve(SimdPath requested)
    {
        if (requested == SimdPath.Scalar)
        {
            return SimdPath.Scalar;
        }

        if (requested is SimdPath.Auto or SimdPath.Vector512 && Vector512.IsHardwareAccelerated)
        {
            return SimdPath.Vector512;
        }

        return Vector256.IsHardwareAccelerated ? SimdPath.Vector256 : SimdPath.Scalar;
    }
}
