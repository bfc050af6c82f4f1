using CretoAI.Fast.Consensus.Weights;
using Xunit;

namespace CretoAI.Fast.Simulation.Tests;

public sealed class ScenarioGeneratorTests
{
    [Fact]
    public void Generated_Byzantine_weight_is_at_the_bound_but_honest_weight_reaches_the_quorum()
    {
        for (ulong seed = 1; seed <= 500; seed++)
        {
            var options = ScenarioGenerator.FromSeed(seed);
            Assert.InRange(options.Nodes, 4, 10);
            var total = options.Weights.Aggregate(0UL, (a, w) => a + w);
            var faulty = options.Byzantine.Keys.Aggregate(0UL, (a, i) => a + options.Weights[i]) + (options.TwinIndex >= 0 ? options.Weights[options.TwinIndex] : 0);
            Assert.True(QuorumThreshold.IsReached(total - faulty, total, ThreatLevel.Normal), options.Describe());

            // At the bound: no further honest validator could turn Byzantine without breaking the quorum.
            for (var i = 0; i < options.Nodes; i++)
            {
                if (!options.Byzantine.ContainsKey(i) && i != options.TwinIndex)
                {
                    Assert.False(QuorumThreshold.IsReached(total - faulty - options.Weights[i], total, ThreatLevel.Normal), $"{options.Describe()}: validator {i} could also be Byzantine");
                }
            }
        }
    }

    [Fact]
    public void Asking_for_more_Byzantine_validators_than_the_bound_is_a_clear_error()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ScenarioGenerator.FromSeed(1, nodes: 4, byzantine: 2));
        Assert.Contains("At most 1 of 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fault_lists_parse_and_print()
    {
        Assert.True(FaultMixParser.TryParse("drop, partition", out var mix, out _));
        Assert.Equal(FaultMix.Drop | FaultMix.Partition, mix);
        Assert.Equal("drop,partition", FaultMixParser.Format(mix));
        Assert.True(FaultMixParser.TryParse("all", out var all, out _));
        Assert.Equal(FaultMix.All, all);
        Assert.False(FaultMixParser.TryParse("drop,meteor", out _, out var error));
        Assert.Contains("meteor", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_random_source_is_fixed_by_its_seed()
    {
        var a = new DeterministicRandom(99);
        var b = new DeterministicRandom(99);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
        }

        Assert.NotEqual(new DeterministicRandom(99).NextUInt64(), new DeterministicRandom(100).NextUInt64());
    }
}
