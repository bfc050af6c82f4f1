using CretoAI.Fast.Node.Replica;

namespace CretoAI.Fast.Node.Tests.Replica;

public sealed class CheckpointStaggerTests
{
    [Theory]
    [InlineData(1000, 0, 4, 0)]
    [InlineData(1000, 1, 4, 250)]
    [InlineData(1000, 2, 4, 500)]
    [InlineData(1000, 3, 4, 750)]
    [InlineData(25, 3, 4, 18)]
    [InlineData(1, 3, 4, 0)]
    [InlineData(1000, 0, 1, 0)]
    [InlineData(1000, -1, 4, 0)]
    [InlineData(10_000_000, 99, 100, 9_900_000)]
    public void Validator_i_of_n_starts_i_over_n_of_an_interval_in(int every, int index, int count, ulong expected) =>
        Assert.Equal(expected, ValidatorNode.CheckpointStagger(every, index, count));

    [Fact]
    public void Every_validator_of_a_cluster_checkpoints_at_a_different_height()
    {
        const int every = 1000;
        const int count = 7;
        var firstHeights = Enumerable.Range(0, count).Select(i => every - (int)ValidatorNode.CheckpointStagger(every, i, count)).ToArray();
        Assert.Equal(count, firstHeights.Distinct().Count());
        Assert.All(firstHeights, h => Assert.InRange(h, 1, every));
    }
}
