using Xunit;
using Xunit.Abstractions;

namespace CretoAI.Fast.Simulation.Tests;

public sealed class DebugTests(ITestOutputHelper output)
{
    [Fact]
    public void Debug()
    {
        var seed = ulong.Parse(Environment.GetEnvironmentVariable("SIM_SEED") ?? "102");
        var sim = new Simulator(ScenarioGenerator.FromSeed(seed));
        var r = sim.Run();
        output.WriteLine(r.ToString());
        foreach (var n in sim.Nodes)
        {
            output.WriteLine($"{n.Instance} honest={n.IsHonest} {n.Engine?.DebugState}");
        }
    }
}
