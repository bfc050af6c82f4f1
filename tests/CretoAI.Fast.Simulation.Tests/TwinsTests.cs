using Xunit;

namespace CretoAI.Fast.Simulation.Tests;

/// <summary>
/// Twins (DiemBFT Twins): one validator's key runs in two honest instances that the generated
/// partition schedule always keeps on different sides, so equivocation and lost locks come from
/// honest code. Safety must hold and the twins' equivocation must be detected as evidence.
/// </summary>
public sealed class TwinsTests
{
    [Fact]
    public void Twins_scenarios_keep_safety_and_produce_evidence()
    {
        var failures = new List<string>();
        long evidence = 0;
        for (ulong seed = 5000; seed < 5150; seed++)
        {
            var result = Simulator.Run(ScenarioGenerator.FromSeed(seed, byzantine: 1, twins: true, faults: FaultMix.Partition | FaultMix.Delay));
            Assert.True(result.Options.TwinIndex >= 0);
            evidence += result.EvidenceFound;
            if (!result.Passed)
            {
                failures.Add(result.ToString());
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(evidence > 0, "Twins never equivocated in 150 seeds: the scenario generator is not exercising them.");
    }
}
