using CretoAI.Fast.Consensus.Engine;
using Xunit;

namespace CretoAI.Fast.Simulation.Tests;

/// <summary>
/// The invariant checker must be able to fail: with the test-only switch that makes honest nodes
/// ignore their lock, a forking Byzantine leader gets a conflicting block committed, and the
/// checker must catch it within a fixed budget of seeds. The same seeds without the switch pass.
/// </summary>
public sealed class CheckerCanFailTests
{
    private const int SeedBudget = 40;

    private static SimulationOptions Scenario(ulong seed, SafetyRuleBreak ruleBreak)
    {
        var generated = ScenarioGenerator.FromSeed(seed, nodes: 4, byzantine: 1, faults: FaultMix.None, twins: false);
        return new SimulationOptions
        {
            Seed = seed,
            Weights = generated.Weights,
            Byzantine = generated.Byzantine.ToDictionary(b => b.Key, _ => ByzantineStrategy.ForkingLeader),
            Faults = FaultMix.None,
            TestOnlyRuleBreak = ruleBreak,
        };
    }

    [Fact]
    public void Ignoring_the_lock_is_caught_within_the_seed_budget()
    {
        string? caught = null;
        for (ulong seed = 1; seed <= SeedBudget && caught is null; seed++)
        {
            var result = Simulator.Run(Scenario(seed, SafetyRuleBreak.IgnoreLock));
            if (!result.Passed && !result.Violation!.StartsWith("liveness", StringComparison.Ordinal))
            {
                caught = result.ToString();
            }
        }

        Assert.NotNull(caught);
        Assert.Contains("replay:", caught, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_seeds_pass_with_the_rules_intact()
    {
        for (ulong seed = 1; seed <= SeedBudget; seed++)
        {
            var result = Simulator.Run(Scenario(seed, SafetyRuleBreak.None));
            Assert.True(result.Passed, result.ToString());
        }
    }
}
