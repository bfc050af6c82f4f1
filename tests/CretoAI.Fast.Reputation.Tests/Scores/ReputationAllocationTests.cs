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

        // One measurement of 1,600 reads must be exactly 0 (up to three: the runtime may charge a one-off
        // tier-up to this thread; an allocation per read would show in every one).
        var measured = new List<long>();
        for (var attempt = 0; attempt < 3 && (measured.Count == 0 || measured.Min() != 0); attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var round = 0; round < 100; round++)
            {
                foreach (var s in subjects)
                {
                    sum += tracker.ScoreAt(s, 1_800_000_000_000 + (ulong)round);
                }
            }

            measured.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(measured.Min() == 0, $"1,600 reads allocated {string.Join(", ", measured)} bytes");
        Assert.NotEqual(0u, sum);
    }
}
