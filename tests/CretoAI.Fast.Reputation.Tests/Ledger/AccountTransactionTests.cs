using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Storage.State;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Reputation.Tests.Ledger;

/// <summary>Payloads and applier kinds: signature in the block batch, chain id, account nonce, dispatch to the applier.</summary>
public sealed class AccountTransactionTests
{
    [Fact]
    public void A_payload_is_signature_checked_nonce_checked_and_applied()
    {
        // A payload used to be NotInterpreted without a signature check; now a forged one is refused
        // and a good one is Applied and advances the sender's account nonce.
        var f = new LedgerFixture();
        var ledger = f.NewLedger(new MemoryReplicatedState());
        var forged = Sign(f, f.Keys[1], TransactionKind.Payload, 1, "forged"u8.ToArray());
        forged[^3] ^= 0x10;
        var outcomes = ledger.Apply(f.Next([0, 1, 2],
        [
            Sign(f, f.Keys[1], TransactionKind.Payload, 1, "one"u8.ToArray()),
            forged,
            Sign(f, f.Keys[1], TransactionKind.Payload, 1, "replay of nonce 1"u8.ToArray()),
            Sign(f, f.Keys[1], TransactionKind.Payload, 2, []),
        ])).Transactions;
        Assert.Equal([TransactionVerdict.Applied, TransactionVerdict.BadSignature, TransactionVerdict.Rejected, TransactionVerdict.Applied], outcomes.Select(o => o.Verdict));
        Assert.Equal(2UL, ledger.AccountNonceOf(f.Id(1)));
        Assert.Equal(0UL, ledger.AccountNonceOf(f.Id(2)));
    }

    [Fact]
    public void The_account_nonce_is_separate_from_the_stake_nonce()
    {
        var f = new LedgerFixture();
        var ledger = f.NewLedger(new MemoryReplicatedState());
        var outcomes = ledger.Apply(f.Next([0, 1, 2],
        [
            StakeTransactions.Bond(f.Keys[1], f.ChainId, 1, 1_000),
            Sign(f, f.Keys[1], TransactionKind.Payload, 1, [1]),
        ])).Transactions;
        Assert.All(outcomes, o => Assert.Equal(TransactionVerdict.Applied, o.Verdict));
        Assert.Equal(1UL, ledger.AccountNonceOf(f.Id(1)));
        Assert.Equal(1UL, ledger.Stake.GetAccount(f.Id(1), ledger.TimestampMs).Nonce);
    }

    [Fact]
    public void An_applier_gets_the_verified_transaction_and_only_an_applied_outcome_consumes_the_nonce()
    {
        var f = new LedgerFixture();
        var applier = new RecordingApplier();
        var ledger = new ValidatorLedger(new MemoryReplicatedState(), f.Rules, f.ChainId, f.Set, f.Genesis, appliers: [applier]);
        ledger.InitializeGenesis(LedgerFixture.GenesisTime);
        applier.Answer = ApplierOutcome.Rejected(9, "not today");
        var block = f.Next([0, 1, 2],
        [
            Sign(f, f.Keys[2], TransactionKind.AgentRegister, 1, [1, 2, 3]),
            Sign(f, f.Keys[2], TransactionKind.AgentUpdate, 1, [4]),
        ]);
        var first = ledger.Apply(block).Transactions;
        Assert.Equal([TransactionVerdict.Rejected, TransactionVerdict.Rejected], first.Select(o => o.Verdict));
        Assert.Equal("not today", first[0].Reason);
        Assert.Equal(0UL, ledger.AccountNonceOf(f.Id(2)));

        var call = applier.Calls[0];
        Assert.Equal((TransactionKind.AgentRegister, f.Id(2), 1UL, block.Height, block.TimestampMs), (call.Kind, call.Sender, call.Nonce, call.At.Height, call.At.TimestampMs));
        Assert.Equal(f.Keys[2].PublicKey.ToArray(), call.PublicKey);
        Assert.Equal([1, 2, 3], call.Body);

        applier.Answer = ApplierOutcome.Applied;
        ledger.Apply(f.Next([0, 1, 2], [Sign(f, f.Keys[2], TransactionKind.AgentRevoke, 1, [])]));
        Assert.Equal(1UL, ledger.AccountNonceOf(f.Id(2)));
    }

    [Fact]
    public void A_kind_no_applier_claims_is_not_interpreted_and_consumes_nothing()
    {
        var f = new LedgerFixture();
        var applier = new RecordingApplier(TransactionKind.AgentRegister);
        var ledger = new ValidatorLedger(new MemoryReplicatedState(), f.Rules, f.ChainId, f.Set, f.Genesis, appliers: [applier]);
        ledger.InitializeGenesis(LedgerFixture.GenesisTime);
        var forged = Sign(f, f.Keys[1], TransactionKind.AgentRevoke, 1, []);
        forged[^1] ^= 1;
        var outcomes = ledger.Apply(f.Next([0, 1, 2], [Sign(f, f.Keys[1], TransactionKind.AgentUpdate, 1, []), forged])).Transactions;
        Assert.Equal([TransactionVerdict.NotInterpreted, TransactionVerdict.BadSignature], outcomes.Select(o => o.Verdict));
        Assert.Empty(applier.Calls);
        Assert.Equal(0UL, ledger.AccountNonceOf(f.Id(1)));
    }

    [Fact]
    public void An_applier_answering_anything_but_applied_rejected_or_malformed_is_a_bug()
    {
        var f = new LedgerFixture();
        var applier = new RecordingApplier { Answer = new ApplierOutcome(TransactionVerdict.BadSignature, 0, "?") };
        var ledger = new ValidatorLedger(new MemoryReplicatedState(), f.Rules, f.ChainId, f.Set, f.Genesis, appliers: [applier]);
        ledger.InitializeGenesis(LedgerFixture.GenesisTime);
        Assert.Throws<InvalidOperationException>(() => ledger.Apply(f.Next([0, 1, 2], [Sign(f, f.Keys[1], TransactionKind.AgentRegister, 1, [])])));
    }

    [Fact]
    public void Transactions_flagged_as_already_verified_skip_only_the_signature_check()
    {
        var f = new LedgerFixture();
        var cache = new MLDsa87KeyCache();
        var ledger = new ValidatorLedger(new MemoryReplicatedState(), f.Rules, f.ChainId, f.Set, f.Genesis, new MLDsa87BatchVerifier(cache, 1));
        ledger.InitializeGenesis(LedgerFixture.GenesisTime);
        var transactions = new[]
        {
            Sign(f, f.Keys[1], TransactionKind.Payload, 1, "a"u8.ToArray()),
            Sign(f, f.Keys[2], TransactionKind.Payload, 1, "b"u8.ToArray()),
            Sign(f, f.Keys[3], TransactionKind.Payload, 1, "c"u8.ToArray()),
        };
        transactions[2][^5] ^= 0x40; // forged, and not flagged: still refused
        var checks = cache.Hits + cache.Misses;

        var outcomes = ledger.Apply(f.Next([0, 1, 2], transactions), [true, false, false]).Transactions;

        Assert.Equal([TransactionVerdict.Applied, TransactionVerdict.Applied, TransactionVerdict.BadSignature], outcomes.Select(o => o.Verdict));
        Assert.Equal(2, cache.Hits + cache.Misses - checks); // the flagged one was not verified again
        Assert.Equal(1UL, ledger.AccountNonceOf(f.Id(1))); // the rest of the rules ran for it
        var replay = Sign(f, f.Keys[1], TransactionKind.Payload, 1, "again"u8.ToArray());
        Assert.Equal(TransactionVerdict.Rejected, ledger.Apply(f.Next([0, 1, 2], [replay]), [true]).Transactions[0].Verdict); // nonce rule
        Assert.Throws<ArgumentException>(() => ledger.Apply(f.Next([0, 1, 2], [replay]), [true, true]));
    }

    private static byte[] Sign(LedgerFixture f, MLDsa87Signer signer, TransactionKind kind, ulong nonce, byte[] body)
    {
        var bytes = new byte[SignedTransaction.EncodedLength(body.Length)];
        var signed = SignedTransaction.WriteUnsigned(bytes, kind, nonce, f.ChainId, signer.PublicKey.Span, body);
        signer.Sign(bytes.AsSpan(0, signed), SignedTransaction.SignatureContext, bytes.AsSpan(signed));
        return bytes;
    }

    private sealed class RecordingApplier(params TransactionKind[] kinds) : ITransactionApplier
    {
        private readonly TransactionKind[] _kinds = kinds.Length > 0 ? kinds : [TransactionKind.AgentRegister, TransactionKind.AgentUpdate, TransactionKind.AgentRevoke];

        public ApplierOutcome Answer { get; set; } = ApplierOutcome.Applied;

        public List<(TransactionKind Kind, Hash32 Sender, byte[] PublicKey, ulong Nonce, byte[] Body, BlockContext At)> Calls { get; } = [];

        public bool Handles(TransactionKind kind) => _kinds.Contains(kind);

        public ApplierOutcome Apply(TransactionKind kind, Hash32 sender, ReadOnlySpan<byte> senderPublicKey, ulong nonce, ReadOnlySpan<byte> body, BlockContext at)
        {
            Calls.Add((kind, sender, senderPublicKey.ToArray(), nonce, body.ToArray(), at));
            return Answer;
        }
    }
}
