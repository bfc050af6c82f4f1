using CretoAI.Fast.Crypto;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Reputation.Scores;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Reputation.Tests.Ledger;

public sealed class OffenceReportTests
{
    private const int Offender = 6;

    [Fact]
    public void A_report_is_confirmed_once_a_quorum_of_weight_reported_it()
    {
        var f = new LedgerFixture(validators: 7);
        var ledger = f.NewLedger(new MemoryReplicatedState());
        byte[] Report(int reporter) => StakeTransactions.Report(f.Keys[reporter], f.ChainId, f.Id(Offender), Offence.InvalidBlock, 1);

        // Four of seven equal weights (57 %) are below the 67 % quorum: recorded, nothing punished.
        var first = ledger.Apply(f.Next([0, 1, 2, 3, 4], transactions: [Report(0), Report(1), Report(2), Report(3)]));
        Assert.All(first.Transactions, t => Assert.Equal(TransactionVerdict.Applied, t.Verdict));
        Assert.Empty(first.Slashes);
        Assert.Equal(500_000UL, ledger.Stake.BondedStake(f.Id(Offender)));

        // The fifth (71 %) confirms it: 15 % slashed once, the offender penalised, all five reporters credited.
        var second = ledger.Apply(f.Next([0, 1, 2, 3, 4], transactions: [Report(4)]));
        var slash = Assert.Single(second.Slashes);
        Assert.Equal(Offence.InvalidBlock, slash.Offence);
        Assert.Equal(75_000UL, slash.Amount);
        Assert.Equal(425_000UL, ledger.Stake.BondedStake(f.Id(Offender)));
        Assert.Contains(ledger.Reputation.History(f.Id(Offender)), e => e.Offence == Offence.InvalidBlock && e.DeltaPpm == -100_000);
        for (var r = 0; r < 5; r++)
        {
            Assert.Single(ledger.Reputation.History(f.Id(r)), e => e.Cause == ReputationCause.ReportConfirmed);
        }

        Assert.Equal(1, second.Threat.DistinctByzantine);

        // Reporting it again changes nothing.
        var late = ledger.Apply(f.Next([0, 1, 2, 3, 4], transactions: [Report(5)]));
        var refused = Assert.Single(late.Transactions);
        Assert.Equal(TransactionVerdict.Rejected, refused.Verdict);
        Assert.Contains("already confirmed", refused.Reason, StringComparison.Ordinal);
        Assert.Empty(late.Slashes);
        Assert.Equal(425_000UL, ledger.Stake.BondedStake(f.Id(Offender)));
    }

    [Fact]
    public void Reports_that_break_a_rule_are_refused_with_a_reason_and_change_nothing()
    {
        var f = new LedgerFixture(validators: 7);
        var ledger = f.NewLedger(new MemoryReplicatedState());
        ledger.Apply(f.Next([0, 1, 2, 3, 4]));
        using var outsider = new MLDsa87Signer(new byte[32]);
        var cases = new (byte[] Tx, string Reason)[]
        {
            (StakeTransactions.Report(f.Keys[0], f.ChainId, f.Id(Offender), Offence.Equivocation, 1), "signed evidence"),
            (StakeTransactions.Report(f.Keys[0], f.ChainId, f.Id(Offender), Offence.MissedVote, 1), "derived from the chain"),
            (StakeTransactions.Report(f.Keys[0], f.ChainId, f.Id(0), Offence.InvalidBlock, 1), "cannot report itself"),
            (StakeTransactions.Report(outsider, f.ChainId, f.Id(Offender), Offence.InvalidBlock, 1), "only validators may report"),
            (StakeTransactions.Report(f.Keys[0], f.ChainId, outsider.NodeId, Offence.InvalidBlock, 1), "not a validator of this chain"),
            (StakeTransactions.Report(f.Keys[0], f.ChainId, f.Id(Offender), Offence.InvalidBlock, 99), "beyond this block's height"),
        };
        foreach (var (tx, reason) in cases)
        {
            var block = f.Next([0, 1, 2, 3, 4], transactions: [tx]);
            var outcome = ledger.Apply(block).Transactions.Single();
            Assert.Equal(TransactionVerdict.Rejected, outcome.Verdict);
            Assert.Contains(reason, outcome.Reason, StringComparison.Ordinal);
        }

        // The same reporter twice counts once.
        ledger.Apply(f.Next([0, 1, 2, 3, 4], transactions: [StakeTransactions.Report(f.Keys[0], f.ChainId, f.Id(Offender), Offence.InvalidSignature, 2)]));
        var twice = ledger.Apply(f.Next([0, 1, 2, 3, 4], transactions: [StakeTransactions.Report(f.Keys[0], f.ChainId, f.Id(Offender), Offence.InvalidSignature, 2)])).Transactions.Single();
        Assert.Equal(TransactionVerdict.Rejected, twice.Verdict);
        Assert.Contains("already reported", twice.Reason, StringComparison.Ordinal);
        Assert.Equal(500_000UL, ledger.Stake.BondedStake(f.Id(Offender)));
    }
}
