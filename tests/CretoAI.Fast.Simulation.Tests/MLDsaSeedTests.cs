using Xunit;

namespace CretoAI.Fast.Simulation.Tests;

/// <summary>A smaller sweep with real ML-DSA-87 signatures end to end (BouncyCastle; slow, so 4–5 validators).</summary>
public sealed class MLDsaSeedTests
{
    [Fact]
    public void Twenty_seeds_with_real_ML_DSA_87_keep_safety_and_liveness()
    {
        var failures = new List<string>();
        for (ulong seed = 1; seed <= 20; seed++)
        {
            var options = ScenarioGenerator.FromSeed(seed, nodes: 4 + (int)(seed % 2), scheme: SignatureScheme.MLDsa87);
            var result = Simulator.Run(options);
            if (!result.Passed)
            {
                failures.Add(result.ToString());
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
