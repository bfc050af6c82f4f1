using CretoAI.Fast.Crypto;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Routing.Tests.Registry;

public sealed class AgentTransactionsTests
{
    private static readonly MLDsa87Signer Alice = RegistryFixture.Agents[0];
    private static readonly Core.Hash32 Chain = Sha3.Hash256("builder-tests"u8);

    [Fact]
    public void The_profile_body_has_the_documented_layout() =>
        Assert.Equal("026162020178027931", Convert.ToHexStringLower(AgentTransactions.ProfileBody("ab", ["x", "y1"])));

    [Fact]
    public void Register_builds_a_signed_envelope_of_the_right_kind_nonce_chain_and_key()
    {
        var bytes = AgentTransactions.Register(Alice, Chain, 7, "ab", ["x", "y1"]);
        Assert.Equal(TransactionParseError.None, SignedTransaction.TryParse(bytes, out var tx));
        Assert.Equal((TransactionKind.AgentRegister, 7UL, Chain), (tx.Kind, tx.Nonce, tx.ChainId));
        Assert.True(tx.PublicKey.SequenceEqual(Alice.PublicKey.Span));
        Assert.Equal(AgentTransactions.ProfileBody("ab", ["x", "y1"]), tx.Body.ToArray());
        Assert.True(MLDsa87.Verify(tx.PublicKey, tx.SignedBytes, SignedTransaction.SignatureContext, tx.Signature));
    }

    [Fact]
    public void Update_revoke_and_payload_carry_their_kinds_and_bodies()
    {
        Assert.Equal(TransactionParseError.None, SignedTransaction.TryParse(AgentTransactions.Update(Alice, Chain, 2, "a", []), out var update));
        Assert.Equal((TransactionKind.AgentUpdate, 2UL), (update.Kind, update.Nonce));
        Assert.Equal(TransactionParseError.None, SignedTransaction.TryParse(AgentTransactions.Revoke(Alice, Chain, 3), out var revoke));
        Assert.Equal((TransactionKind.AgentRevoke, 0), (revoke.Kind, revoke.BodyLength));
        Assert.Equal(TransactionParseError.None, SignedTransaction.TryParse(AgentTransactions.Payload(Alice, Chain, 4, "data"u8), out var payload));
        Assert.Equal(TransactionKind.Payload, payload.Kind);
        Assert.True(payload.Body.SequenceEqual("data"u8));
        Assert.True(MLDsa87.Verify(payload.PublicKey, payload.SignedBytes, SignedTransaction.SignatureContext, payload.Signature));
    }

    [Fact]
    public void What_the_body_layout_cannot_hold_is_refused_by_the_builder()
    {
        Assert.Throws<ArgumentException>(() => AgentTransactions.ProfileBody(new string('n', 256), []));
        Assert.Throws<ArgumentException>(() => AgentTransactions.ProfileBody("n", [new string('t', 256)]));
        Assert.Throws<ArgumentException>(() => AgentTransactions.ProfileBody("n", [.. Enumerable.Repeat("t", 256)]));
        Assert.Throws<ArgumentException>(() => AgentTransactions.Payload(Alice, Chain, 1, new byte[SignedTransaction.MaxBodyLength + 1]));

        // What the layout holds but the registry refuses is the chain's to judge, not the builder's.
        Assert.Equal(66, AgentTransactions.ProfileBody(new string('n', 64), []).Length);
        Assert.Equal(69, AgentTransactions.ProfileBody(new string('n', 65), ["T"]).Length);
    }
}
