using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Reputation.Scores;
using CretoAI.Fast.Storage.State;
using CsCheck;

namespace CretoAI.Fast.Reputation.Tests.Scores;

public sealed class ReputationTrackerTests
{
    private const ulong Day = 24UL * 60 * 60 * 1000;
    private const ulong T0 = 1_700_000_000_000;

    private static Hash32 Subject(int i) => Sha3.Hash256(BitConverter.GetBytes(i));

    private static ReputationTracker NewTracker(out MemoryReplicatedState state)
    {
        state = new MemoryReplicatedState();
        return new ReputationTracker(state, ReputationRules.Default);
    }

    [Fact]
    public void A_subject_never_seen_has_the_start_value_and_no_history()
    {
        var tracker = NewTracker(out var state);
        Assert.Equal(500_000u, tracker.ScoreAt(Subject(1), T0));
        Assert.Empty(tracker.History(Subject(1)));
        Assert.False(tracker.IsKnown(Subject(1)));
        Assert.Equal(0, state.Count);
    }

    [Theory]
    [InlineData(ReputationCause.BlockProposed, Offence.None, 10_000)]
    [InlineData(ReputationCause.VoteCast, Offence.None, 5_000)]
    [InlineData(ReputationCause.UptimeHeartbeat, Offence.None, 2_000)]
    [InlineData(ReputationCause.ReportConfirmed, Offence.None, 30_000)]
    [InlineData(ReputationCause.Offence, Offence.Equivocation, -200_000)]
    [InlineData(ReputationCause.Offence, Offence.InvalidSignature, -150_000)]
    [InlineData(ReputationCause.Offence, Offence.InvalidBlock, -100_000)]
    [InlineData(ReputationCause.Offence, Offence.MissedProposal, -50_000)]
    [InlineData(ReputationCause.Offence, Offence.MissedVote, -20_000)]
    public void Each_event_moves_the_score_by_the_seeds_delta(ReputationCause cause, Offence offence, int expected)
    {
        var tracker = NewTracker(out _);
        var change = tracker.Apply(Subject(1), cause, offence, new BlockContext(7, T0));
        Assert.Equal(500_000u, change.BeforePpm);
        Assert.Equal(expected, change.DeltaPpm);
        Assert.Equal((uint)(500_000 + expected), tracker.ScoreAt(Subject(1), T0));
        var entry = Assert.Single(tracker.History(Subject(1)));
        Assert.Equal(new ReputationHistoryEntry(cause, cause == ReputationCause.Offence ? offence : Offence.None, 7, expected, (uint)(500_000 + expected)), entry);
    }

    [Fact]
    public void Scores_are_clamped_to_zero_and_one()
    {
        var tracker = NewTracker(out _);
        for (var i = 0; i < 4; i++)
        {
            tracker.Apply(Subject(1), ReputationCause.Offence, Offence.Equivocation, new BlockContext((ulong)i + 1, T0));
        }

        Assert.Equal(0u, tracker.ScoreAt(Subject(1), T0));
        Assert.Equal(-100_000, tracker.History(Subject(1))[^2].DeltaPpm);
        Assert.Equal(0, tracker.History(Subject(1))[^1].DeltaPpm);
        tracker.SetInitial(Subject(2), 995_000, new BlockContext(0, T0));
        var change = tracker.Apply(Subject(2), ReputationCause.BlockProposed, Offence.None, new BlockContext(1, T0));
        Assert.Equal(1_000_000u, change.AfterPpm);
        Assert.Equal(5_000, change.DeltaPpm);
    }

    [Theory]
    [InlineData(900_000u, 700_000u)]
    [InlineData(1_000_000u, 750_000u)]
    [InlineData(0u, 250_000u)]
    [InlineData(100_000u, 300_000u)]
    [InlineData(500_000u, 500_000u)]
    public void After_one_half_life_the_distance_to_one_half_halves(uint start, uint expected)
    {
        var tracker = NewTracker(out _);
        tracker.SetInitial(Subject(1), start, new BlockContext(0, T0));
        var after = tracker.ScoreAt(Subject(1), T0 + (30 * Day));
        Assert.InRange((long)after, (long)expected - 1, (long)expected + 1);
        var quarter = tracker.ScoreAt(Subject(1), T0 + (60 * Day));
        var expectedQuarter = 500_000 + (((long)start - 500_000) / 4);
        Assert.InRange((long)quarter, expectedQuarter - 1, expectedQuarter + 1);
    }

    [Fact]
    public void An_update_decays_first_then_adds_the_delta()
    {
        var tracker = NewTracker(out _);
        tracker.SetInitial(Subject(1), 900_000, new BlockContext(0, T0));
        var change = tracker.Apply(Subject(1), ReputationCause.BlockProposed, Offence.None, new BlockContext(1, T0 + (30 * Day)));
        Assert.InRange(change.BeforePpm, 699_999u, 700_001u);
        Assert.Equal(change.BeforePpm + 10_000, change.AfterPpm);
        Assert.Equal(change.AfterPpm, tracker.ScoreAt(Subject(1), T0 + (30 * Day)));
    }

    [Fact]
    public void Reading_does_not_change_state()
    {
        var tracker = NewTracker(out var state);
        tracker.Apply(Subject(1), ReputationCause.VoteCast, Offence.None, new BlockContext(1, T0));
        var before = state.Digest;
        _ = tracker.ScoreAt(Subject(1), T0 + (100 * Day));
        var scores = new uint[1];
        tracker.ScoresAt([Subject(1)], T0 + (100 * Day), scores);
        _ = tracker.History(Subject(1));
        Assert.Equal(before, state.Digest);
    }

    [Fact]
    public void History_keeps_the_last_K_changes_oldest_first()
    {
        var state = new MemoryReplicatedState();
        var tracker = new ReputationTracker(state, ReputationRules.Default with { HistoryLength = 4 });
        for (ulong h = 1; h <= 10; h++)
        {
            tracker.Apply(Subject(1), h % 2 == 0 ? ReputationCause.VoteCast : ReputationCause.BlockProposed, Offence.None, new BlockContext(h, T0 + h));
        }

        var history = tracker.History(Subject(1));
        Assert.Equal([7UL, 8, 9, 10], history.Select(e => e.Height));
        Assert.Equal(ReputationCause.BlockProposed, history[0].Cause);
        Assert.Equal(tracker.ScoreAt(Subject(1), T0 + 10), history[^1].ScoreAfterPpm);
    }

    [Fact]
    public void Applying_a_block_older_than_the_last_update_is_refused()
    {
        var tracker = NewTracker(out var state);
        tracker.Apply(Subject(1), ReputationCause.VoteCast, Offence.None, new BlockContext(2, T0 + (10 * Day)));
        var digest = state.Digest;
        var e = Assert.Throws<InvalidOperationException>(() => tracker.Apply(Subject(1), ReputationCause.VoteCast, Offence.None, new BlockContext(3, T0)));
        Assert.Contains("in order", e.Message, StringComparison.Ordinal);
        Assert.Equal(digest, state.Digest);
    }

    [Fact]
    public void Bulk_decay_gives_what_lazy_decay_gives_for_every_subject()
    {
        Gen.Select(Gen.Int[1, 60], Gen.Int[0, 400].Array[1, 80], Gen.ULong[0, 400 * Day]).Sample((subjects, events, queryAfter) =>
        {
            var tracker = NewTracker(out _);
            var time = T0;
            ulong height = 0;
            foreach (var e in events)
            {
                time += (ulong)e * 3_600_000UL;
                var cause = (ReputationCause)(1 + (e % 5));
                var offence = cause == ReputationCause.Offence ? (Offence)(1 + (e % 7)) : Offence.None;
                tracker.Apply(Subject(e % subjects), cause, offence, new BlockContext(++height, time));
            }

            var ids = Enumerable.Range(0, subjects + 3).Select(Subject).ToArray();
            var bulk = new uint[ids.Length];
            var at = time + queryAfter;
            tracker.ScoresAt(ids, at, bulk);
            for (var i = 0; i < ids.Length; i++)
            {
                Assert.Equal(tracker.ScoreAt(ids[i], at), bulk[i]);
            }
        }, iter: 200);
    }

    [Fact]
    public void Rules_with_a_bad_value_name_the_setting()
    {
        var e = Assert.Throws<InvalidSettingException>(() => (ReputationRules.Default with { MissedVotePpm = 5 }).Validate());
        Assert.Contains("reputation.missed-vote", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InvalidSettingException>(() => (ReputationRules.Default with { HalfLifeMs = 1000 }).Validate());
        Assert.Contains("reputation.half-life", e.Message, StringComparison.Ordinal);
    }
}
