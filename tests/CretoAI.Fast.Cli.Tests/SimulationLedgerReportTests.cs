using CretoAI.Fast.Cli.Commands;
using CretoAI.Fast.Simulation;
using Xunit;

namespace CretoAI.Fast.Cli.Tests;

public class SimulationLedgerReportTests
{
    [Fact]
    public void A_double_voter_shows_up_slashed_with_the_lowest_reputation_and_weight()
    {
        var options = new SimulationOptions
        {
            Seed = 2,
            Weights = [100, 100, 100, 100, 100, 100, 100],
            Byzantine = new Dictionary<int, ByzantineStrategy> { [4] = ByzantineStrategy.DoubleVoting },
            DropPerMille = 0,
            DuplicatePerMille = 0,
        };
        var (run, lines) = SimulationLedgerReport.Run(options, epochBlocks: 20, windowBlocks: 5);
        Assert.True(run.Passed, run.ToString());
        var rows = lines.Where(l => l.StartsWith("| ", StringComparison.Ordinal) && char.IsDigit(l[2])).Select(l => l.Split('|', StringSplitOptions.TrimEntries)).ToList();
        Assert.Equal(7, rows.Count);
        var doubleVoter = rows.Single(r => r[2] == "DoubleVoting");
        Assert.Equal("4", doubleVoter[1]);
        Assert.NotEqual("0", doubleVoter[4]);
        var reputation = rows.Select(r => double.Parse(r[5], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(reputation.Min(), reputation[4]);
        Assert.All(rows.Where(r => r[2] == "honest"), r => Assert.Equal("0", r[4]));
        Assert.Contains("threat level Elevated", lines[^1], StringComparison.Ordinal);
    }
}
