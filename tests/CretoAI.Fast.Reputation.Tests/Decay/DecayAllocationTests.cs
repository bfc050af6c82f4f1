using CretoAI.Fast.Reputation.Decay;

namespace CretoAI.Fast.Reputation.Tests.Decay;

public sealed class DecayAllocationTests
{
    [Theory]
    [InlineData(DecayKernel.Scalar)]
    [InlineData(DecayKernel.Vector256)]
    [InlineData(DecayKernel.Vector512)]
    [InlineData(DecayKernel.Auto)]
    internal void Batch_decay_allocates_nothing(DecayKernel kernel)
    {
        const uint Now = 5_000_000;
        var scores = new uint[1_003];
        var lastTicks = new uint[scores.Length];
        var output = new uint[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = (uint)(i * 997 % 1_000_001);
            lastTicks[i] = Now - (uint)(i * 61);
        }

        // Warm-up: the table is built and the kernel is compiled.
        ReputationDecay.DecayBatch(scores, lastTicks, Now, output, kernel);

        var before = GC.GetAllocatedBytesForCurrentThread();
        ReputationDecay.DecayBatch(scores, lastTicks, Now, output, kernel);
        ReputationDecay.DecayBatch(scores, lastTicks, Now, scores, kernel);
        var after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
    }

    [Fact]
    public void Public_batch_and_lazy_decay_allocate_nothing()
    {
        var scores = new uint[] { 0, 1_000_000, 500_000, 123_456, 987_654, 499_999, 500_001, 42, 7, 9, 11, 13, 17, 19, 23, 29, 31 };
        var lastTicks = new uint[scores.Length];
        var output = new uint[scores.Length];
        ReputationDecay.DecayBatch(scores, lastTicks, 4096, output);
        _ = ReputationDecay.Decay(scores[3], 4096);

        var before = GC.GetAllocatedBytesForCurrentThread();
        ReputationDecay.DecayBatch(scores, lastTicks, 4096, output);
        var sum = 0u;
        for (var i = 0; i < scores.Length; i++)
        {
            sum += ReputationDecay.Decay(scores[i], (uint)i * 1_000);
        }

        var after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
        Assert.NotEqual(0u, sum);
    }
}
