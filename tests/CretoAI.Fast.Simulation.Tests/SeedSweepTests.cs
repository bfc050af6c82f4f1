using Xunit;

namespace CretoAI.Fast.Simulation.Tests;

/// <summary>
/// The CI sweep: 2,000 generated scenarios with the fake signature scheme (4–10 validators, Byzantine
/// weight filled to the bound, random fault mixes, Twins on 56 of the first 200 seeds), in 8 slices so
/// a failure names its slice. Every failure prints its seed and the command that replays it.
/// </summary>
public sealed class SeedSweepTests
{
    public const int Seeds = 2000;
    public const int Slices = 8;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void Every_generated_seed_keeps_safety_and_recovers_after_the_heal(int slice)
    {
        var failures = new List<string>();
        const int perSlice = Seeds / Slices;
        for (var i = 0; i < perSlice; i++)
        {
            var seed = (ulong)((slice * perSlice) + i + 1);
            var result = Simulator.Run(ScenarioGenerator.FromSeed(seed));
            if (!result.Passed)
            {
                failures.Add(result.ToString());
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} seed(s) failed:\n" + string.Join("\n", failures));
    }
}
