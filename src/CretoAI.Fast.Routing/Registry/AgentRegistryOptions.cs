using System.Numerics;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Routing.Registry;

/// <summary>
/// Every local knob of <see cref="AgentRegistry"/>, with defaults; validated by <see cref="Validate"/>.
/// None of them changes what the registry decides (that is chain rules): only how much it keeps in memory.
/// </summary>
public sealed class AgentRegistryOptions
{
    /// <summary>The default hot set: 65,536 agents, about 190 MiB when every slot holds a full record.</summary>
    public const int DefaultHotSetCapacity = 1 << 16;

    /// <summary>
    /// Slots of the in-memory hot set of recently used agent records (a power of two, 16..2^24). Each
    /// holds at most one record of up to 3,204 bytes plus about 60 bytes of object overhead; records not
    /// in the hot set are read from the sharded store (its memory budget, then its log file on disk).
    /// </summary>
    public int HotSetCapacity { get; init; } = DefaultHotSetCapacity;

    /// <summary>Expanded ML-DSA-87 keys for <see cref="AgentRegistry.VerifySignature"/>; the process-wide cache by default.</summary>
    public MLDsa87KeyCache KeyCache { get; init; } = MLDsa87KeyCache.Shared;

    /// <summary>Throws <see cref="InvalidSettingException"/> naming the first bad setting.</summary>
    public AgentRegistryOptions Validate()
    {
        if (HotSetCapacity is < 16 or > 1 << 24 || !BitOperations.IsPow2(HotSetCapacity))
        {
            throw new InvalidSettingException(nameof(HotSetCapacity), $"{HotSetCapacity} must be a power of two in 16..16,777,216.");
        }

        if (KeyCache is null)
        {
            throw new InvalidSettingException(nameof(KeyCache), "is null.");
        }

        return this;
    }
}
