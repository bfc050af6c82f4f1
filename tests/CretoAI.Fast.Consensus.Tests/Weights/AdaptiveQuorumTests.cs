using CretoAI.Fast.Consensus.Weights;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests.Weights;

public class AdaptiveQuorumTests
{
    private const int Validators = 20; // 5 % = 1 offender, 15 % = 3 offenders

    [Fact]
    public void Starts_normal_and_knows_the_level_only_through_the_activation_delay()
    {
        var quorum = new AdaptiveQuorum(AdaptiveQuorumRules.Default);
        Assert.Equal(ThreatLevel.Normal, quorum.LevelAt(0));
        Assert.Equal(ThreatLevel.Normal, quorum.LevelAt(2));
        Assert.False(quorum.TryGetLevelAt(3, out _));
        Assert.Throws<InvalidOperationException>(() => quorum.LevelAt(3));
        Assert.Equal(670UL, quorum.QuorumWeightAt(1, 1000));
    }

    [Fact]
    public void One_offender_in_twenty_elevates_from_height_plus_delay()
    {
        var chain = new Chain();
        chain.Commit(10);
        var assessment = chain.Commit(1, Offence(7));

        Assert.Equal(ThreatLevel.Elevated, assessment.Decided);
        Assert.True(assessment.Changed);
        Assert.Equal(13UL, assessment.EffectiveHeight);
        Assert.Equal(ThreatLevel.Normal, chain.Quorum.LevelAt(12));
        Assert.Equal(ThreatLevel.Elevated, chain.Quorum.LevelAt(13));
        Assert.Equal(750UL, chain.Quorum.QuorumWeightAt(13, 1000));
    }

    [Fact]
    public void Three_distinct_offenders_in_twenty_make_it_high_and_repeats_count_once()
    {
        var chain = new Chain();
        Assert.Equal(ThreatLevel.Elevated, chain.Commit(1, Offence(1), Offence(1), Offence(2)).Target);
        var assessment = chain.Commit(1, Offence(2), Offence(3));
        Assert.Equal(3, assessment.DistinctByzantine);
        Assert.Equal(ThreatLevel.High, assessment.Decided);
        Assert.Equal(ThreatLevel.High, chain.Quorum.LevelAt(4));
        Assert.Equal(ThreatLevel.Elevated, chain.Quorum.LevelAt(3));
    }

    [Fact]
    public void Evidence_leaves_the_window_exactly_300_seconds_after_its_block()
    {
        var chain = new Chain();
        chain.Commit(1, Offence(4));                           // t = 1 s
        Assert.Equal(1, chain.Commit(1, stepMs: 299_999).DistinctByzantine); // 299.999 s after the offence block
        Assert.Equal(0, chain.Commit(1, stepMs: 1).DistinctByzantine);       // exactly 300 s
    }

    [Fact]
    public void A_downgrade_waits_600_seconds_of_calm()
    {
        var chain = new Chain();
        chain.Commit(1, Offence(4));                            // Elevated at t = 1 s
        var calmStart = chain.Commit(1, stepMs: 300_000);        // evidence expired: target Normal, calm starts
        Assert.Equal(ThreatLevel.Normal, calmStart.Target);
        Assert.Equal(ThreatLevel.Elevated, calmStart.Decided);

        Assert.Equal(ThreatLevel.Elevated, chain.Commit(1, stepMs: 599_999).Decided);
        var downgrade = chain.Commit(1, stepMs: 1);
        Assert.True(downgrade.Changed);
        Assert.Equal(ThreatLevel.Normal, downgrade.Decided);
        Assert.Equal(ThreatLevel.Elevated, chain.Quorum.LevelAt(downgrade.Height + 1));
        Assert.Equal(ThreatLevel.Normal, chain.Quorum.LevelAt(downgrade.Height + 2));
    }

    [Fact]
    public void New_evidence_during_calm_restarts_the_wait()
    {
        var chain = new Chain();
        chain.Commit(1, Offence(4));
        chain.Commit(1, stepMs: 300_000);                        // calm starts
        chain.Commit(1, stepMs: 500_000, evidence: [Offence(5)]); // target Elevated again: calm broken
        chain.Commit(1, stepMs: 300_000);                        // expired again: calm restarts here
        Assert.Equal(ThreatLevel.Elevated, chain.Commit(1, stepMs: 599_000).Decided);
        Assert.Equal(ThreatLevel.Normal, chain.Commit(1, stepMs: 1_000).Decided);
    }

    [Fact]
    public void High_steps_down_to_the_highest_level_seen_during_the_calm_then_waits_again()
    {
        var chain = new Chain();
        chain.Commit(1, Offence(1), Offence(2), Offence(3));   // High
        chain.Commit(1, stepMs: 100_000, evidence: [Offence(9)]);
        var calm = chain.Commit(1, stepMs: 200_000);              // 3 offenders expired, 1 left: target Elevated
        Assert.Equal(ThreatLevel.Elevated, calm.Target);
        chain.Commit(1, stepMs: 100_000);                         // all expired: target Normal
        var first = chain.Commit(1, stepMs: 500_000);             // 600 s since calm began
        Assert.Equal(ThreatLevel.Elevated, first.Decided);
        Assert.True(first.Changed);
        Assert.Equal(ThreatLevel.Elevated, chain.Commit(1, stepMs: 599_999).Decided);
        Assert.Equal(ThreatLevel.Normal, chain.Commit(1, stepMs: 1).Decided);
    }

    [Fact]
    public void Stability_counts_only_once_the_round_window_is_full()
    {
        var rules = AdaptiveQuorumRules.Default with { StabilityWindowRounds = 10 };
        var chain = new Chain(rules);
        Assert.Equal(1_000_000u, chain.Commit(1, roundStep: 3).StabilityPpm); // rounds 3: window not full yet
        Assert.Equal(ThreatLevel.Normal, chain.Commit(1, roundStep: 3).Decided);  // round 6
        var full = chain.Commit(1, roundStep: 6);                                  // round 12: rounds 3..12 observed
        Assert.Equal(300_000u, full.StabilityPpm);                                 // blocks at 3, 6 and 12 in rounds 3..12
        Assert.Equal(ThreatLevel.High, full.Decided);
    }

    [Fact]
    public void Stability_below_90_percent_elevates_and_below_70_percent_is_high()
    {
        var rules = AdaptiveQuorumRules.Default with { StabilityWindowRounds = 10 };
        var chain = new Chain(rules);
        chain.Commit(10);                                        // rounds 1..10, every round a block
        Assert.Equal(1_000_000u, chain.Commit(1).StabilityPpm);
        var oneMiss = chain.Commit(1, roundStep: 2);             // round 13: 12 missing → 9 of 10
        Assert.Equal(900_000u, oneMiss.StabilityPpm);
        Assert.Equal(ThreatLevel.Normal, oneMiss.Target);
        var twoMisses = chain.Commit(1, roundStep: 2);           // round 15: 12 and 14 missing → 8 of 10
        Assert.Equal(ThreatLevel.Elevated, twoMisses.Target);
        var many = chain.Commit(1, roundStep: 3);                // round 18: 12,14,16,17 missing → 6 of 10
        Assert.Equal(600_000u, many.StabilityPpm);
        Assert.Equal(ThreatLevel.High, many.Decided);
    }

    [Fact]
    public void Bad_inputs_are_rejected_and_leave_the_state_unchanged()
    {
        var chain = new Chain();
        chain.Commit(3);
        var before = chain.Quorum.Snapshot();
        var q = chain.Quorum;
        Assert.Throws<ArgumentException>(() => q.OnBlockCommitted(new CommittedBlockFacts(5, 10, 10_000, Validators), []));
        Assert.Throws<ArgumentException>(() => q.OnBlockCommitted(new CommittedBlockFacts(4, 3, 10_000, Validators), []));
        Assert.Throws<ArgumentException>(() => q.OnBlockCommitted(new CommittedBlockFacts(4, 10, 1, Validators), []));
        Assert.Throws<ArgumentException>(() => q.OnBlockCommitted(new CommittedBlockFacts(4, 10, 10_000, 0), []));
        Assert.Throws<ArgumentException>(() => q.OnBlockCommitted(new CommittedBlockFacts(4, 10, 10_000, Validators), [Offence(Validators)]));
        Assert.Throws<ArgumentException>(() => q.OnBlockCommitted(new CommittedBlockFacts(4, 10, 10_000, Validators), [Offence(-1)]));
        Assert.Equal(before, q.Snapshot());
    }

    [Fact]
    public void Rules_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveQuorum(AdaptiveQuorumRules.Default with { ActivationDelay = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveQuorum(AdaptiveQuorumRules.Default with { HighByzantinePercent = 4 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveQuorum(AdaptiveQuorumRules.Default with { HighStabilityPpm = 950_000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveQuorum(AdaptiveQuorumRules.Default with { StabilityWindowRounds = 0 }));
    }

    [Fact]
    public void Old_transitions_are_pruned_beyond_the_retained_history()
    {
        var rules = AdaptiveQuorumRules.Default with { CalmPeriodMs = 1, ByzantineWindowMs = 1 };
        var chain = new Chain(rules);
        for (var i = 0; i < 200; i++)
        {
            chain.Commit(1, Offence(1));       // Elevated
            chain.Commit(1, stepMs: 10);       // calm starts
            chain.Commit(1, stepMs: 10);       // downgrade
        }

        Assert.True(chain.Quorum.Transitions.Count <= AdaptiveQuorum.MaxRetainedTransitions + 1);
        Assert.False(chain.Quorum.TryGetLevelAt(1, out _));
        Assert.Throws<InvalidOperationException>(() => chain.Quorum.LevelAt(1));
        Assert.True(chain.Quorum.TryGetLevelAt(chain.Quorum.LastCommittedHeight, out _));
    }

    private static readonly Gen<(int Blocks, int Seed)> Histories = Gen.Select(Gen.Int[1, 150], Gen.Int);

    [Fact]
    public void Same_inputs_give_the_same_snapshot_bytes_and_a_restored_machine_continues_identically() =>
        Histories.Sample((blocks, seed) =>
        {
            var rules = AdaptiveQuorumRules.Default with { StabilityWindowRounds = 16 };
            var inputs = RandomHistory(blocks * 2, seed);
            var a = new AdaptiveQuorum(rules);
            var b = new AdaptiveQuorum(rules);
            for (var i = 0; i < blocks; i++)
            {
                Assert.Equal(a.OnBlockCommitted(inputs[i].Block, inputs[i].Evidence), b.OnBlockCommitted(inputs[i].Block, inputs[i].Evidence));
            }

            var snapshot = a.Snapshot();
            Assert.Equal(snapshot, b.Snapshot());
            var restored = AdaptiveQuorum.Restore(rules, snapshot);
            Assert.Equal(snapshot, restored.Snapshot());
            for (var i = blocks; i < inputs.Length; i++)
            {
                Assert.Equal(a.OnBlockCommitted(inputs[i].Block, inputs[i].Evidence), restored.OnBlockCommitted(inputs[i].Block, inputs[i].Evidence));
                Assert.Equal(a.LevelAt(a.DeterminedThrough), restored.LevelAt(a.DeterminedThrough));
            }

            Assert.Equal(a.Snapshot(), restored.Snapshot());
        }, iter: 200);

    [Fact]
    public void Corrupt_snapshots_fail_with_a_format_error_only()
    {
        var rules = AdaptiveQuorumRules.Default with { StabilityWindowRounds = 16 };
        var machine = new AdaptiveQuorum(rules);
        foreach (var (block, evidence) in RandomHistory(60, 42))
        {
            machine.OnBlockCommitted(block, evidence);
        }

        var snapshot = machine.Snapshot();
        for (var length = 0; length < snapshot.Length; length++)
        {
            Assert.Throws<FormatException>(() => AdaptiveQuorum.Restore(rules, snapshot.AsSpan(0, length)));
        }

        Assert.Throws<FormatException>(() => AdaptiveQuorum.Restore(AdaptiveQuorumRules.Default, snapshot));
        Assert.Throws<FormatException>(() => AdaptiveQuorum.Restore(rules, [.. snapshot, 0]));

        Gen.Select(Gen.Int[0, snapshot.Length - 1], Gen.Byte).Sample((index, value) =>
        {
            var corrupt = snapshot.ToArray();
            corrupt[index] = value;
            try
            {
                AdaptiveQuorum.Restore(rules, corrupt);
            }
            catch (FormatException)
            {
                // Expected for most corruptions; some (e.g. a timestamp nudged within range) are still consistent.
            }
        }, iter: 2000);
    }

    private static (CommittedBlockFacts Block, ByzantineEvidence[] Evidence)[] RandomHistory(int blocks, int seed)
    {
        // A fixed-seed history with bursts of evidence, round gaps and long quiet stretches.
        var random = new Random(seed);
        var result = new (CommittedBlockFacts, ByzantineEvidence[])[blocks];
        ulong round = 0, time = 1_000;
        for (var i = 0; i < blocks; i++)
        {
            round += random.Next(4) == 0 ? (ulong)random.Next(1, 5) : 1;
            time += random.Next(5) == 0 ? (ulong)random.Next(100_000, 700_000) : (ulong)random.Next(0, 2_000);
            var evidence = random.Next(6) == 0
                ? Enumerable.Range(0, random.Next(1, 4)).Select(_ => Offence(random.Next(Validators))).ToArray()
                : [];
            result[i] = (new CommittedBlockFacts((ulong)i + 1, round, time, Validators), evidence);
        }

        return result;
    }

    private static ByzantineEvidence Offence(int validator) => new(validator, ByzantineBehaviour.Equivocation, 1);

    /// <summary>Feeds consecutive committed blocks: one round and one second apart unless told otherwise.</summary>
    private sealed class Chain(AdaptiveQuorumRules? rules = null)
    {
        private ulong _height;
        private ulong _round;
        private ulong _time;

        public AdaptiveQuorum Quorum { get; } = new(rules ?? AdaptiveQuorumRules.Default);

        public ThreatAssessment Commit(int blocks, params ByzantineEvidence[] evidence) => Commit(blocks, 1_000, 1, evidence);

        public ThreatAssessment Commit(int blocks, ulong stepMs = 1_000, ulong roundStep = 1, ByzantineEvidence[]? evidence = null)
        {
            ThreatAssessment last = default;
            for (var i = 0; i < blocks; i++)
            {
                _height++;
                _round += roundStep;
                _time += stepMs;
                last = Quorum.OnBlockCommitted(new CommittedBlockFacts(_height, _round, _time, Validators), i == blocks - 1 ? evidence ?? [] : []);
            }

            return last;
        }
    }
}
