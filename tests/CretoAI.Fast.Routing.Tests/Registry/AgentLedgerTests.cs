using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Reputation;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Storage.State;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Routing.Tests.Registry;

/// <summary>Agent transactions and payloads as the validator ledger applies them from committed blocks, with real ML-DSA-87 signatures.</summary>
public sealed class AgentLedgerTests
{
    private static readonly MLDsa87Signer Alice = RegistryFixture.Agents[0];
    private static readonly MLDsa87Signer Bob = RegistryFixture.Agents[1];
    private static readonly MLDsa87Signer Carol = RegistryFixture.Agents[2];

    private readonly RegistryFixture _f = new();

    [Fact]
    public void A_register_in_a_committed_block_creates_the_agent_and_advances_its_account_nonce()
    {
        var (ledger, registry) = _f.NewLedger(new MemoryReplicatedState());
        var block = _f.Next(AgentTransactions.Register(Alice, _f.ChainId, 1, "alice", ["planner"]));
        var outcome = Assert.Single(ledger.Apply(block).Transactions);

        Assert.Equal((TransactionKind.AgentRegister, Alice.NodeId, TransactionVerdict.Applied), (outcome.Kind, outcome.Sender, outcome.Verdict));
        Assert.Equal(1UL, ledger.AccountNonceOf(Alice.NodeId));
        Assert.True(registry.TryGet(Alice.NodeId, out var record));
        Assert.Equal((block.Height, "alice"), (record.RegisteredAtHeight, record.DisplayName));
    }

    [Fact]
    public void A_replayed_transaction_is_rejected_for_its_nonce_and_changes_nothing()
    {
        var (ledger, registry) = _f.NewLedger(new MemoryReplicatedState());
        var update = AgentTransactions.Update(Alice, _f.ChainId, 2, "alice v2", ["b"]);
        ledger.Apply(_f.Next(AgentTransactions.Register(Alice, _f.ChainId, 1, "alice", ["a"]), update));
        Assert.True(registry.TryGet(Alice.NodeId, out var before));

        // The same signed update again, later: a valid signature, a used nonce.
        var replay = Assert.Single(ledger.Apply(_f.Next(update)).Transactions);
        Assert.Equal(TransactionVerdict.Rejected, replay.Verdict);
        Assert.Contains("nonce 2 is not the next nonce 3", replay.Reason, StringComparison.Ordinal);
        Assert.Equal(2UL, ledger.AccountNonceOf(Alice.NodeId));
        Assert.True(registry.TryGet(Alice.NodeId, out var after));
        Assert.Equal(before.UpdatedAtHeight, after.UpdatedAtHeight);
    }

    [Fact]
    public void A_nonce_that_skips_ahead_is_rejected_and_the_next_one_still_works()
    {
        var (ledger, registry) = _f.NewLedger(new MemoryReplicatedState());
        var outcomes = ledger.Apply(_f.Next(
            AgentTransactions.Register(Alice, _f.ChainId, 2, "alice", []),
            AgentTransactions.Register(Alice, _f.ChainId, 0, "alice", []),
            AgentTransactions.Register(Alice, _f.ChainId, 1, "alice", []))).Transactions;
        Assert.Equal([TransactionVerdict.Rejected, TransactionVerdict.Rejected, TransactionVerdict.Applied], outcomes.Select(o => o.Verdict));
        Assert.Equal(1UL, ledger.AccountNonceOf(Alice.NodeId));
        Assert.True(registry.TryGet(Alice.NodeId, out _));
    }

    [Fact]
    public void A_corrupted_signature_inside_a_committed_block_is_a_bad_signature_and_changes_nothing()
    {
        // Two replicas apply the same block, one with a forged register in it and one without: a
        // Byzantine proposer's forgery must leave exactly the state the empty block leaves.
        var forged = AgentTransactions.Register(Alice, _f.ChainId, 1, "alice", ["a"]);
        forged[^100] ^= 0x01;
        var forgedPayload = AgentTransactions.Payload(Bob, _f.ChainId, 1, "hello"u8);
        forgedPayload[^1] ^= 0x80;

        var withForgery = new RegistryFixture();
        var (ledger, registry) = withForgery.NewLedger(new MemoryReplicatedState());
        var outcomes = ledger.Apply(withForgery.Next(forged, forgedPayload)).Transactions;
        Assert.All(outcomes, o => Assert.Equal(TransactionVerdict.BadSignature, o.Verdict));
        Assert.False(registry.TryGet(Alice.NodeId, out _));
        Assert.Equal(0UL, ledger.AccountNonceOf(Alice.NodeId));
        Assert.Equal(0UL, ledger.AccountNonceOf(Bob.NodeId));

        var clean = new RegistryFixture();
        var (cleanLedger, _) = clean.NewLedger(new MemoryReplicatedState());
        cleanLedger.Apply(clean.Next());
        Assert.Equal(cleanLedger.StateDigest, ledger.StateDigest);
    }

    [Fact]
    public void A_transaction_signed_for_another_chain_is_refused()
    {
        var (ledger, registry) = _f.NewLedger(new MemoryReplicatedState());
        var outcome = Assert.Single(ledger.Apply(_f.Next(AgentTransactions.Register(Alice, Sha3.Hash256("other chain"u8), 1, "alice", []))).Transactions);
        Assert.Equal(TransactionVerdict.WrongChain, outcome.Verdict);
        Assert.False(registry.TryGet(Alice.NodeId, out _));
        Assert.Equal(0UL, ledger.AccountNonceOf(Alice.NodeId));
    }

    [Fact]
    public void A_payload_with_a_valid_signature_and_nonce_is_applied_and_shares_the_nonce_with_agent_operations()
    {
        var (ledger, registry) = _f.NewLedger(new MemoryReplicatedState());
        var outcomes = ledger.Apply(_f.Next(
            AgentTransactions.Payload(Carol, _f.ChainId, 1, "first message"u8),
            AgentTransactions.Register(Carol, _f.ChainId, 2, "carol", []),
            AgentTransactions.Payload(Carol, _f.ChainId, 3, []),
            AgentTransactions.Payload(Carol, _f.ChainId, 3, "same nonce"u8))).Transactions;
        Assert.Equal([TransactionVerdict.Applied, TransactionVerdict.Applied, TransactionVerdict.Applied, TransactionVerdict.Rejected], outcomes.Select(o => o.Verdict));
        Assert.Equal(TransactionKind.Payload, outcomes[0].Kind);
        Assert.Equal(3UL, ledger.AccountNonceOf(Carol.NodeId));
        Assert.True(registry.TryGet(Carol.NodeId, out _));

        ledger.Apply(_f.Next(AgentTransactions.Payload(Carol, _f.ChainId, 4, new byte[SignedTransaction.MaxBodyLength])));
        Assert.Equal(4UL, ledger.AccountNonceOf(Carol.NodeId));
    }

    [Fact]
    public void A_refused_agent_operation_does_not_consume_its_nonce()
    {
        var (ledger, registry) = _f.NewLedger(new MemoryReplicatedState());
        var badName = AgentTransactions.Register(Alice, _f.ChainId, 1, string.Empty, []);
        var badBody = SignRaw(Alice, TransactionKind.AgentRegister, 1, [7, 1]);
        var good = AgentTransactions.Register(Alice, _f.ChainId, 1, "alice", []);
        var outcomes = ledger.Apply(_f.Next(badName, badBody, good)).Transactions;

        Assert.Equal([TransactionVerdict.Rejected, TransactionVerdict.Malformed, TransactionVerdict.Applied], outcomes.Select(o => o.Verdict));
        Assert.Contains("display name", outcomes[0].Reason, StringComparison.Ordinal);
        Assert.Equal(1UL, ledger.AccountNonceOf(Alice.NodeId));
        Assert.True(registry.TryGet(Alice.NodeId, out _));
    }

    [Fact]
    public void An_agent_cannot_change_another_agents_record()
    {
        var (ledger, registry) = _f.NewLedger(new MemoryReplicatedState());
        ledger.Apply(_f.Next(AgentTransactions.Register(Alice, _f.ChainId, 1, "alice", ["a"])));
        var outcomes = ledger.Apply(_f.Next(
            AgentTransactions.Update(Bob, _f.ChainId, 1, "alice (hijacked)", []),
            AgentTransactions.Revoke(Bob, _f.ChainId, 1))).Transactions;
        Assert.All(outcomes, o => Assert.Equal(TransactionVerdict.Rejected, o.Verdict));
        Assert.Equal(0UL, ledger.AccountNonceOf(Bob.NodeId));
        Assert.True(registry.TryGet(Alice.NodeId, out var record));
        Assert.Equal(("alice", AgentStatus.Active), (record.DisplayName, record.Status));
    }

    [Fact]
    public void Register_update_revoke_through_the_ledger()
    {
        var (ledger, registry) = _f.NewLedger(new MemoryReplicatedState());
        ledger.Apply(_f.Next(AgentTransactions.Register(Alice, _f.ChainId, 1, "alice", ["a"])));
        ledger.Apply(_f.Next(AgentTransactions.Update(Alice, _f.ChainId, 2, "alice v2", ["b", "c"])));
        var revoked = ledger.Apply(_f.Next(AgentTransactions.Revoke(Alice, _f.ChainId, 3)));
        var afterRevoke = ledger.Apply(_f.Next(AgentTransactions.Update(Alice, _f.ChainId, 4, "alice v3", [])));

        Assert.Equal(TransactionVerdict.Applied, Assert.Single(revoked.Transactions).Verdict);
        Assert.Equal(TransactionVerdict.Rejected, Assert.Single(afterRevoke.Transactions).Verdict);
        Assert.True(registry.TryGet(Alice.NodeId, out var record));
        Assert.Equal(("alice v2", AgentStatus.Revoked, 1UL, 3UL), (record.DisplayName, record.Status, record.RegisteredAtHeight, record.UpdatedAtHeight));
        Assert.Equal(["b", "c"], record.Tags);
        Assert.Equal(3UL, ledger.AccountNonceOf(Alice.NodeId));
    }

    [Fact]
    public void Without_a_registry_agent_transactions_are_not_interpreted_and_consume_nothing()
    {
        var (ledger, _) = _f.NewLedger(new MemoryReplicatedState(), withRegistry: false);
        var outcomes = ledger.Apply(_f.Next(
            AgentTransactions.Register(Alice, _f.ChainId, 1, "alice", []),
            AgentTransactions.Payload(Alice, _f.ChainId, 1, [1]))).Transactions;
        Assert.Equal([TransactionVerdict.NotInterpreted, TransactionVerdict.Applied], outcomes.Select(o => o.Verdict));
        Assert.False(string.IsNullOrWhiteSpace(outcomes[0].Reason));
        Assert.Equal(1UL, ledger.AccountNonceOf(Alice.NodeId));
    }

    [Fact]
    public void Two_ledgers_applying_the_same_blocks_end_with_identical_state()
    {
        byte[][][] blocks =
        [
            [AgentTransactions.Register(Alice, _f.ChainId, 1, "alice", ["a"]), AgentTransactions.Payload(Bob, _f.ChainId, 1, "hi"u8), AgentTransactions.Register(Carol, _f.ChainId, 1, "carol", ["x", "y"])],
            [AgentTransactions.Update(Alice, _f.ChainId, 2, "alice v2", []), AgentTransactions.Register(Bob, _f.ChainId, 2, "BAD\n", []), AgentTransactions.Register(Bob, _f.ChainId, 2, "bob", [])],
            [AgentTransactions.Revoke(Carol, _f.ChainId, 2), AgentTransactions.Payload(Alice, _f.ChainId, 3, new byte[1000]), [1, 2, 3]],
            [AgentTransactions.Update(Carol, _f.ChainId, 3, "carol again", []), AgentTransactions.Payload(Alice, _f.ChainId, 3, "replay"u8)],
        ];
        var one = new RegistryFixture();
        var two = new RegistryFixture();
        var stateOne = new MemoryReplicatedState();
        var stateTwo = new MemoryReplicatedState();
        var (ledgerOne, _) = one.NewLedger(stateOne);
        var (ledgerTwo, _) = two.NewLedger(stateTwo);
        foreach (var transactions in blocks)
        {
            var a = ledgerOne.Apply(one.Next(transactions));
            var b = ledgerTwo.Apply(two.Next(transactions));
            Assert.Equal(a.StateHash, b.StateHash);
            Assert.Equal(a.Transactions.Select(t => (t.Verdict, t.Reason)), b.Transactions.Select(t => (t.Verdict, t.Reason)));
        }

        Assert.Equal(ledgerOne.StateDigest, ledgerTwo.StateDigest);
        Assert.Equal(stateOne.Entries().Select(e => (e.Key, Convert.ToHexString(e.Value))), stateTwo.Entries().Select(e => (e.Key, Convert.ToHexString(e.Value))));

        // The digest covers the registry and the nonces: a replica that missed one applied
        // transaction ends elsewhere.
        var three = new RegistryFixture();
        var (ledgerThree, _) = three.NewLedger(new MemoryReplicatedState());
        foreach (var transactions in blocks)
        {
            ledgerThree.Apply(three.Next([.. transactions.Where(t => !ReferenceEquals(t, blocks[0][1]))]));
        }

        Assert.NotEqual(ledgerOne.StateDigest, ledgerThree.StateDigest);
    }

    [Fact]
    public void Appliers_may_not_overlap_or_claim_the_ledgers_own_kinds()
    {
        var state = new MemoryReplicatedState();
        var registry = new AgentRegistry(state);
        Assert.Throws<ArgumentException>(() => new ValidatorLedger(state, RegistryFixture.Rules, _f.ChainId, _f.Set, _f.Genesis, appliers: [registry, new AgentRegistry(state)]));
        foreach (var kind in new[] { TransactionKind.Payload, TransactionKind.Bond, TransactionKind.Report })
        {
            Assert.Throws<ArgumentException>(() => new ValidatorLedger(state, RegistryFixture.Rules, _f.ChainId, _f.Set, _f.Genesis, appliers: [new ClaimsOneKind(kind)]));
        }
    }

    private byte[] SignRaw(MLDsa87Signer signer, TransactionKind kind, ulong nonce, byte[] body)
    {
        var bytes = new byte[SignedTransaction.EncodedLength(body.Length)];
        var signed = SignedTransaction.WriteUnsigned(bytes, kind, nonce, _f.ChainId, signer.PublicKey.Span, body);
        signer.Sign(bytes.AsSpan(0, signed), SignedTransaction.SignatureContext, bytes.AsSpan(signed));
        return bytes;
    }

    private sealed class ClaimsOneKind(TransactionKind kind) : ITransactionApplier
    {
        public bool Handles(TransactionKind k) => k == kind;

        public ApplierOutcome Apply(TransactionKind k, Hash32 sender, ReadOnlySpan<byte> senderPublicKey, ulong nonce, ReadOnlySpan<byte> body, BlockContext at) => ApplierOutcome.Applied;
    }
}
