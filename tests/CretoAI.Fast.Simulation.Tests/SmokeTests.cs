using Xunit;
using Xunit.Abstractions;

namespace CretoAI.Fast.Simulation.Tests;

public sealed class SmokeTests(ITestOutputHelper output)
{
    [Fact]
    public void Smoke()
    {
        var failures = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (ulong seed = 1; seed <= 300; seed++)
        {
            var r = Simulator.Run(ScenarioGenerator.FromSeed(seed));
            output.WriteLine(r.ToString() + $" events={r.Events} t={r.VirtualTime} lat={r.CommitLatencyRounds:F2}");
            if (!r.Passed)
            {
                failures++;
            }
        }

        output.WriteLine($"elapsed {watch.ElapsedMilliseconds} ms");
        Assert.Equal(0, failures);
    }
}
