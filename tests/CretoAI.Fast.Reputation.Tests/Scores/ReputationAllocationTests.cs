using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Reputation.Scores;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Reputation.Tests.Scores;

/// <summary>Reading a score is on the weight and routing paths: it must not allocate once warm.</summary>
[Collection("allocation")]
public sealed class ReputationAllocationTests
{
    [Fact]
    public void A_warm_lazy_read_allocates_nothing()
    {
        var state = new MemoryReplicatedState();
        var tracker = new ReputationTracker(state, ReputationRules.Default);
        var subjects = new Hash32[16];
        for (var i = 0; i < subjects.Length; i++)
        {
            subjects[i] = Sha3.Hash256(BitConverter.GetBytes(i));
            tracker.Apply(subjects[i], ReputationCause.VoteCast, Offence.None, new BlockContext(1, 1_700_000_000_000));
        }

        uint sum = 0;
        foreach (var s in subjects)
        {
            sum += tracker.ScoreAt(s, 1_800_000_000_000);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 100; round++)
        {
            foreach (var s in subjects)
            {
                sum += tracker.ScoreAt(s, 1_800_000_000_000 + (ulong)round);
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.NotEqual(0u, sum);
    }
}
