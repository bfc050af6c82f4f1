using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Reputation.Scores;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Reputation.Tests.Ledger;

public sealed class ValidatorLedgerTests
{
    [Fact]
    public void Genesis_opens_accounts_and_reputation_once()
    {
        var f = new LedgerFixture();
        var state = new MemoryReplicatedState();
        var ledger = f.NewLedger(state);
        Assert.True(ledger.IsInitialized);
        Assert.Equal(0UL, ledger.Height);
        Assert.Equal(500_000UL, ledger.Stake.BondedStake(f.Id(2)));
        Assert.Equal(4 * 700_000UL, ledger.Stake.TotalSupply);
        Assert.Equal(500_000u, ledger.Reputation.ScoreAt(f.Id(2), LedgerFixture.GenesisTime));
        Assert.Throws<InvalidOperationException>(() => ledger.InitializeGenesis(LedgerFixture.GenesisTime));

        // A second ledger over the same state resumes instead of starting over.
        var again = new ValidatorLedger(state, f.Rules, f.ChainId, f.Set, f.Genesis);
        Assert.True(again.IsInitialized);
        Assert.Equal(state.Digest, again.StateDigest);
    }

    [Fact]
    public void The_proposer_and_the_certificate_signers_are_rewarded()
    {
        var f = new LedgerFixture();
        var ledger = f.NewLedger(new MemoryReplicatedState());
        var block = f.Next([0, 1, 2]);
        ledger.Apply(block);
        var now = block.TimestampMs;
        var proposer = block.ProposerIndex;
        for (var i = 0; i < 4; i++)
        {
            var expected = 500_000u + (i == proposer ? 10_000u : 0) + (i < 3 ? 5_000u : 0);
            Assert.Equal(expected, ledger.Reputation.ScoreAt(f.Id(i), now));
        }
    }

    [Fact]
    public void Leaders_of_skipped_rounds_are_charged_a_missed_proposal_once()
    {
        var f = new LedgerFixture();
        var ledger = f.NewLedger(new MemoryReplicatedState());
        ledger.Apply(f.Next([0, 1, 2, 3]));
        var block = f.Next([0, 1, 2, 3], roundGap: 2);
        var skipped = new[] { f.Set.LeaderOf(block.Round - 2), f.Set.LeaderOf(block.Round - 1) }.Where(l => l != block.ProposerIndex).Distinct().ToArray();
        Assert.NotEmpty(skipped);
        ledger.Apply(block);
        foreach (var leader in skipped)
        {
            var history = ledger.Reputation.History(f.Id(leader));
            Assert.Single(history, e => e.Cause == ReputationCause.Offence && e.Offence == Offence.MissedProposal && e.Height == block.Height);
        }
    }

    [Fact]
    public void Evidence_slashes_once_penalises_the_offender_and_credits_the_reporter()
    {
        var f = new LedgerFixture();
        var ledger = f.NewLedger(new MemoryReplicatedState());
        var block = f.Next([0, 1, 2], evidence: [LedgerFixture.DoubleVote(3, 1)]);
        var outcome = ledger.Apply(block);
        var slash = Assert.Single(outcome.Slashes);
        Assert.Equal(f.Id(3), slash.Validator);
        Assert.Equal(150_000UL, slash.Amount);
        Assert.Equal(350_000UL, ledger.Stake.BondedStake(f.Id(3)));
        Assert.Equal(150_000UL, ledger.Stake.SlashPool);
        Assert.Equal(300_000u, ledger.Reputation.ScoreAt(f.Id(3), block.TimestampMs));
        Assert.Contains(ledger.Reputation.History(f.Id(block.ProposerIndex)), e => e.Cause == ReputationCause.ReportConfirmed);

        // The same offence included again (another proposer, another block) changes nothing.
        var replay = ledger.Apply(f.Next([0, 1, 2], evidence: [LedgerFixture.DoubleVote(3, 1)]));
        Assert.Empty(replay.Slashes);
        Assert.Equal(1, replay.EvidenceReplays);
        Assert.Equal(350_000UL, ledger.Stake.BondedStake(f.Id(3)));
        Assert.Equal(150_000UL, ledger.Stake.SlashPool);
    }

    [Fact]
    public void Signed_stake_transactions_are_applied_and_bad_ones_refused_with_a_reason()
    {
        var f = new LedgerFixture();
        var ledger = f.NewLedger(new MemoryReplicatedState());
        var good = StakeTransactions.Bond(f.Keys[1], f.ChainId, 1, 100_000);
        var forged = StakeTransactions.Bond(f.Keys[2], f.ChainId, 1, 100_000);
        forged[^10] ^= 0x40;
        var otherChain = StakeTransactions.Bond(f.Keys[2], CretoAI.Fast.Crypto.Sha3.Hash256("other"u8), 1, 100_000);
        var replayedNonce = StakeTransactions.Bond(f.Keys[1], f.ChainId, 1, 1_000);
        var outcome = ledger.Apply(f.Next([0, 1, 2, 3], transactions: [good, forged, otherChain, replayedNonce, [1, 2, 3]]));
        Assert.Equal(
            [TransactionVerdict.Applied, TransactionVerdict.BadSignature, TransactionVerdict.WrongChain, TransactionVerdict.Rejected, TransactionVerdict.Malformed],
            outcome.Transactions.Select(t => t.Verdict));
        Assert.All(outcome.Transactions.Skip(1), t => Assert.False(string.IsNullOrWhiteSpace(t.Reason)));
        Assert.Equal(600_000UL, ledger.Stake.BondedStake(f.Id(1)));
        Assert.Equal(500_000UL, ledger.Stake.BondedStake(f.Id(2)));
        Assert.Equal(4 * 700_000UL, ledger.Stake.TotalSupply);
    }

    [Fact]
    public void Windows_pay_heartbeats_charge_missed_votes_and_slash_prolonged_downtime()
    {
        var f = new LedgerFixture();
        var ledger = f.NewLedger(new MemoryReplicatedState());
        BlockOutcome? last = null;
        var slashes = new List<SlashRecord>();
        for (var h = 0; h < 15; h++)
        {
            // Validator 3 never signs; it may still be the leader of some rounds, so make it skip those.
            var block = f.Next([0, 1, 2]);
            while (block.ProposerIndex == 3)
            {
                f.Chain.RemoveAt(f.Chain.Count - 1);
                block = f.Next([0, 1, 2], roundGap: 1);
            }

            last = ledger.Apply(block);
            slashes.AddRange(last.Slashes);
        }

        var history3 = ledger.Reputation.History(f.Id(3));
        Assert.Equal(3, history3.Count(e => e.Offence == Offence.MissedVote));
        Assert.Contains(ledger.Reputation.History(f.Id(0)), e => e.Cause == ReputationCause.UptimeHeartbeat);
        var downtime = Assert.Single(slashes);
        Assert.Equal(Offence.ProlongedDowntime, downtime.Offence);
        Assert.Equal(f.Id(3), downtime.Validator);
        Assert.Equal(25_000UL, downtime.Amount);
        Assert.Equal(475_000UL, ledger.Stake.BondedStake(f.Id(3)));
    }

    [Fact]
    public void An_epoch_boundary_computes_the_next_weights_from_stake_reputation_and_uptime()
    {
        // Seven validators: with fewer, the 15 % cap cannot be met and every weight is T/n (docs/weights.md).
        var f = new LedgerFixture(validators: 7);
        var ledger = f.NewLedger(new MemoryReplicatedState());
        BlockOutcome? boundary = null;
        var everyone = Enumerable.Range(0, 7).ToArray();
        for (var h = 1; h <= 20; h++)
        {
            var evidence = h == 3 ? new[] { LedgerFixture.DoubleVote(2, 2) } : null;
            var outcome = ledger.Apply(f.Next(everyone, evidence: evidence));
            if (outcome.NextEpoch is not null)
            {
                Assert.Null(boundary);
                boundary = outcome;
            }
        }

        Assert.NotNull(boundary);
        Assert.Equal(20UL, boundary!.Height);
        var next = boundary.NextEpoch!;
        Assert.Equal(1UL, next.Epoch);
        Assert.Equal(1UL, ledger.Epoch);
        Assert.All(next.UptimePpm, u => Assert.Equal(1_000_000u, u));
        Assert.Equal(350_000UL, next.Stake[2]);
        Assert.Equal(7, next.Summary.EligibleCount);
        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(ledger.Reputation.ScoreAt(f.Id(i), ledger.TimestampMs), next.ReputationPpm[i]);
            if (i != 2)
            {
                Assert.True(next.Weights[2] < next.Weights[i], $"equivocator weight {next.Weights[2]} should be below validator {i}'s {next.Weights[i]}");
            }
        }

        Assert.True(next.Weights[2] < f.Set.WeightOf(2), "the equivocator's weight falls from epoch 0 to epoch 1");
        var set = ledger.SetForEpoch(1);
        Assert.NotNull(set);
        Assert.Equal(next.Weights[2], set!.WeightOf(set.IndexOf(f.Id(2))));
        Assert.Equal(next.Weights[2], ledger.WeightsOf(1)!.Weights[2]);
    }

    [Fact]
    public void A_validator_missing_most_windows_has_low_uptime_and_drops_out_of_the_next_set()
    {
        var f = new LedgerFixture(validators: 7);
        var ledger = f.NewLedger(new MemoryReplicatedState());
        var withoutSix = Enumerable.Range(0, 6).ToArray();
        EpochWeights? next = null;
        while (next is null)
        {
            var block = f.Next(withoutSix);
            while (block.ProposerIndex == 6)
            {
                f.Chain.RemoveAt(f.Chain.Count - 1);
                block = f.Next(withoutSix, roundGap: 1);
            }

            next = ledger.Apply(block).NextEpoch;
        }

        Assert.Equal(0u, next.UptimePpm[6]);
        Assert.Equal(0UL, next.Weights[6]);
        Assert.Equal(6, next.Summary.EligibleCount);
        var set = ledger.SetForEpoch(1)!;
        Assert.Equal(6, set.Count);
        Assert.Equal(-1, set.IndexOf(f.Id(6)));
    }

    [Fact]
    public void A_block_out_of_order_is_refused_before_anything_changes()
    {
        var f = new LedgerFixture();
        var state = new MemoryReplicatedState();
        var ledger = f.NewLedger(state);
        ledger.Apply(f.Next([0, 1, 2]));
        var skipped = f.Next([0, 1, 2]);
        var ahead = f.Next([0, 1, 2]);
        var digest = state.Digest;
        var e = Assert.Throws<ArgumentException>(() => ledger.Apply(ahead));
        Assert.Contains("height 2", e.Message, StringComparison.Ordinal);
        Assert.Equal(digest, state.Digest);
        ledger.Apply(skipped);
        ledger.Apply(ahead);
        Assert.Equal(3UL, ledger.Height);
    }
}
