using Xunit;

namespace CretoAI.Fast.Simulation.Tests;

public sealed class DeterminismTests
{
    [Theory]
    [InlineData(7UL)]
    [InlineData(51UL)]
    [InlineData(1234UL)]
    public void A_seed_replays_identically(ulong seed)
    {
        var a = Simulator.Run(ScenarioGenerator.FromSeed(seed));
        var b = Simulator.Run(ScenarioGenerator.FromSeed(seed));
        Assert.Equal(a.Events, b.Events);
        Assert.Equal(a.MessagesDelivered, b.MessagesDelivered);
        Assert.Equal(a.MinHonestHeight, b.MinHonestHeight);
        Assert.Equal(a.MaxRound, b.MaxRound);
        Assert.Equal(a.VirtualTime, b.VirtualTime);
        Assert.Equal(a.EvidenceFound, b.EvidenceFound);
    }

    [Fact]
    public void Different_seeds_give_different_runs()
    {
        var a = Simulator.Run(ScenarioGenerator.FromSeed(11, nodes: 5, faults: FaultMix.All));
        var b = Simulator.Run(ScenarioGenerator.FromSeed(12, nodes: 5, faults: FaultMix.All));
        Assert.NotEqual((a.Events, a.VirtualTime), (b.Events, b.VirtualTime));
    }

    [Fact]
    public void The_replay_command_names_the_seed_and_overrides()
    {
        var options = ScenarioGenerator.FromSeed(42, nodes: 7, byzantine: 2, faults: FaultMix.Drop | FaultMix.Partition);
        var result = new SimulationResult
        {
            Options = options,
            Violation = "x",
            Events = 0,
            MessagesDelivered = 0,
            MinHonestHeight = 0,
            MaxRound = 0,
            RoundsToRecover = 0,
            CommitLatencyRounds = 0,
            EvidenceFound = 0,
            VirtualTime = 0,
        };
        Assert.Contains("cretoai-fast simulate --seed 42 --nodes 7 --byzantine 2 --faults drop,partition", result.ToString(), StringComparison.Ordinal);
    }
}
