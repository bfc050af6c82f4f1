using Xunit;

namespace CretoAI.Fast.Crypto.Tests;

/// <summary>Tests that flip the process-wide <see cref="SimdSwitch.ForceScalar"/> run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SimdSwitchCollection
{
    public const string Name = "SimdSwitch";

    /// <summary>Forces (or not) the scalar paths until disposed.</summary>
    public static IDisposable Force(bool scalar)
    {
        var previous = SimdSwitch.ForceScalar;
        SimdSwitch.ForceScalar = scalar;
        return new Restore(previous);
    }

    private sealed class Restore(bool previous) : IDisposable
    {
        public void Dispose() => SimdSwitch.ForceScalar = previous;
    }
}
