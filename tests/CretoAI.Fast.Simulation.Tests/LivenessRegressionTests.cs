using Xunit;

namespace CretoAI.Fast.Simulation.Tests;

/// <summary>
/// Seeds that once lost liveness, pinned with their scenarios (docs/consensus.md, "Crash and restart").
/// </summary>
public sealed class LivenessRegressionTests
{
    [Theory]
    // Every node holding the block the highest QC certifies crashed (blocks were memory only): nothing
    // could extend the lock. Fixed by persisting a block before voting for or proposing it.
    [InlineData(6UL, SignatureScheme.MLDsa87)]
    [InlineData(333UL, SignatureScheme.Fake)]
    [InlineData(135UL, SignatureScheme.Fake)]
    // A node restarted in its last voted round without the TC that led there, while the others
    // needed its timeout for the round before. Fixed by restarting in the highest provable round.
    [InlineData(2727UL, SignatureScheme.Fake)]
    // A leader restarted in its own round proposed a second block: evidence against an honest validator.
    [InlineData(73UL, SignatureScheme.Fake)]
    // Three Replay validators with duplication replayed each other's replays: 3M events before the
    // heal. Fixed in the simulator: a replayer sends at most one burst per ReplaySpacing of virtual time.
    [InlineData(16181UL, SignatureScheme.Fake)]
    public void Pinned_seed_recovers_after_the_heal(ulong seed, SignatureScheme scheme)
    {
        var result = Simulator.Run(ScenarioGenerator.FromSeed(seed, nodes: 4, scheme: scheme));
        Assert.True(result.Passed, result.ToString());
    }
}
