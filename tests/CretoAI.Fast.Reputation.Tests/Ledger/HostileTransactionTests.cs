using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Storage.State;
using CretoAI.Fast.Wire.Transactions;
using CsCheck;

namespace CretoAI.Fast.Reputation.Tests.Ledger;

/// <summary>A committed block can carry anything a Byzantine proposer put in it: the ledger must give every transaction a verdict and never throw.</summary>
public sealed class HostileTransactionTests
{
    [Fact]
    public void Random_and_mutated_transactions_get_a_verdict_and_never_break_the_ledger()
    {
        var f = new LedgerFixture();
        var valid = StakeTransactions.Bond(f.Keys[1], f.ChainId, 1, 5_000);
        var mutated = Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte, Gen.Int[-3, 3]).Select((position, value, trim) =>
        {
            var bytes = (byte[])valid.Clone();
            bytes[position] = value;
            return trim switch
            {
                < 0 => bytes[..(bytes.Length + trim)],
                > 0 => [.. bytes, .. new byte[trim]],
                _ => bytes,
            };
        });
        var anyBytes = Gen.Byte.Array[0, 9000];
        Gen.Frequency((3, mutated), (1, anyBytes)).Array[1, 6].Sample(transactions =>
        {
            var state = new MemoryReplicatedState();
            var ledger = f.NewLedger(state);
            var supply = ledger.Stake.TotalSupply;
            var chain = new LedgerFixture();
            var outcome = ledger.Apply(chain.Next([0, 1, 2], transactions));
            Assert.Equal(transactions.Length, outcome.Transactions.Count);
            foreach (var t in outcome.Transactions)
            {
                Assert.True(t.Verdict == TransactionVerdict.Applied || !string.IsNullOrWhiteSpace(t.Reason), $"{t.Verdict} without a reason");
                Assert.True(t.Verdict != TransactionVerdict.Applied || t.Kind != TransactionKind.Unknown);
            }

            Assert.Equal(supply, ledger.Stake.TotalSupply);
        }, iter: 60, threads: 1);
    }
}
