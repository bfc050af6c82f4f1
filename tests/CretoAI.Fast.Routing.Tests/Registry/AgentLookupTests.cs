using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Storage.State;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Routing.Tests.Registry;

/// <summary>The lookup API the router uses: views, the hot set, signature checks through the key cache, policy operations.</summary>
public sealed class AgentLookupTests
{
    private static readonly MLDsa87Signer Alice = RegistryFixture.Agents[0];
    private static readonly MLDsa87Signer Bob = RegistryFixture.Agents[1];
    private static readonly byte[] Context = "cretoai-fast/test-message/v1"u8.ToArray();

    private readonly MemoryReplicatedState _state = new();
    private readonly MLDsa87KeyCache _keyCache = new();
    private readonly AgentRegistry _registry;

    public AgentLookupTests() => _registry = new AgentRegistry(_state, new AgentRegistryOptions { HotSetCapacity = 16, KeyCache = _keyCache });

    [Fact]
    public void A_view_shows_the_record_and_an_unknown_id_gives_an_empty_view()
    {
        Assert.False(_registry.TryGetAgent(Alice.NodeId, out var none));
        Assert.True(none.IsEmpty);
        Assert.Throws<InvalidOperationException>(() => none.Status);

        Register(Alice, "Alice — planner", ["planner", "eu-west.1"], height: 4);
        Assert.True(_registry.TryGetAgent(Alice.NodeId, out var view));
        Assert.False(view.IsEmpty);
        Assert.Equal(Alice.NodeId, view.AgentId);
        Assert.Equal(Alice.NodeId, view.ReputationSubject);
        Assert.True(view.IsActive);
        Assert.True(view.PublicKey.SequenceEqual(Alice.PublicKey.Span));
        Assert.Equal("Alice — planner"u8.ToArray(), view.DisplayNameUtf8.ToArray());
        Assert.Equal(2, view.TagCount);
        Assert.Equal("planner"u8.ToArray(), view.TagAt(0).ToArray());
        Assert.Equal("eu-west.1"u8.ToArray(), view.TagAt(1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => view.TagAt(2).Length);
        Assert.True(view.HasTag("eu-west.1"u8));
        Assert.False(view.HasTag("eu-west"u8));
        Assert.Equal((4UL, 4UL), (view.RegisteredAtHeight, view.UpdatedAtHeight));
        Assert.Equal(AgentTransactions.ProfileBody("Alice — planner", ["planner", "eu-west.1"]), view.ProfileBytes.ToArray());
        Assert.True(_registry.IsActive(Alice.NodeId));
        Assert.False(_registry.IsActive(Bob.NodeId));
    }

    [Fact]
    public void A_cached_agent_is_seen_changed_after_each_operation_and_old_views_stay_as_they_were()
    {
        Register(Alice, "alice", ["a"], height: 1);
        Assert.True(_registry.TryGetAgent(Alice.NodeId, out var first));
        Assert.Equal(1, _registry.HotSetFills);

        Assert.Equal(ApplierOutcome.Applied, _registry.Apply(TransactionKind.AgentUpdate, Alice.NodeId, Alice.PublicKey.Span, 2, AgentTransactions.ProfileBody("alice v2", ["b", "c"]), SyntheticAgents.At(2)));
        Assert.True(_registry.TryGetAgent(Alice.NodeId, out var updated));
        Assert.Equal("alice v2"u8.ToArray(), updated.DisplayNameUtf8.ToArray());
        Assert.Equal(2UL, updated.UpdatedAtHeight);
        Assert.Equal("alice"u8.ToArray(), first.DisplayNameUtf8.ToArray());
        Assert.Equal(1UL, first.UpdatedAtHeight);

        Assert.Equal(ApplierOutcome.Applied, _registry.Suspend(Alice.NodeId, SyntheticAgents.At(3)));
        Assert.True(_registry.TryGetAgent(Alice.NodeId, out var suspended));
        Assert.Equal(AgentStatus.Suspended, suspended.Status);
        Assert.False(_registry.IsActive(Alice.NodeId));

        Assert.Equal(ApplierOutcome.Applied, _registry.Reinstate(Alice.NodeId, SyntheticAgents.At(4)));
        Assert.True(_registry.IsActive(Alice.NodeId));

        Assert.Equal(ApplierOutcome.Applied, _registry.Apply(TransactionKind.AgentRevoke, Alice.NodeId, Alice.PublicKey.Span, 3, [], SyntheticAgents.At(5)));
        Assert.True(_registry.TryGetAgent(Alice.NodeId, out var revoked));
        Assert.Equal((AgentStatus.Revoked, 5UL), (revoked.Status, revoked.UpdatedAtHeight));

        // Every change was published by the writer: only the first lookup had to read the state.
        Assert.Equal(1, _registry.HotSetFills);
    }

    [Fact]
    public void More_agents_than_hot_set_slots_are_all_found_and_the_hot_set_stays_bounded()
    {
        var ids = SyntheticAgents.Register(_registry, 0, 200);
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < ids.Length; i++)
            {
                Assert.True(_registry.TryGetAgent(ids[i], out var view), $"agent {i}");
                Assert.Equal(ids[i], view.AgentId);
                Assert.Equal(ids[i], AgentRegistry.AgentIdOf(view.PublicKey));
                Assert.Equal(SyntheticAgents.Profile(i), view.ProfileBytes.ToArray());
            }
        }

        Assert.Equal(16, _registry.HotSetCapacity);
        Assert.True(_registry.HotSetFills > 16, $"{_registry.HotSetFills} fills: 200 agents cannot all stay in 16 slots");
    }

    [Fact]
    public void Hot_lookups_allocate_nothing()
    {
        var ids = SyntheticAgents.Register(_registry, 0, 8);
        var id = ids[3];
        Assert.True(_registry.TryGetAgent(id, out _));
        Assert.True(_registry.IsActive(id));

        // Steady state: up to three measurements of 10,000 lookups, one must be exactly 0 B (JIT tiering may allocate once).
        long least = long.MaxValue;
        for (var attempt = 0; attempt < 3 && least != 0; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var found = 0;
            for (var i = 0; i < 10_000; i++)
            {
                if (_registry.TryGetAgent(id, out var view) && view.IsActive && view.PublicKey.Length == SignedTransaction.PublicKeySize && _registry.IsActive(id))
                {
                    found++;
                }
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(10_000, found);
        }

        Assert.Equal(0, least);
    }

    [Fact]
    public void Signature_checks_need_an_active_agent_and_reuse_the_cached_key()
    {
        var message = "route me"u8.ToArray();
        var signature = new byte[MLDsa87.SignatureSize];
        Alice.Sign(message, Context, signature);
        Assert.Equal(AgentSignatureCheck.UnknownAgent, _registry.VerifySignature(Alice.NodeId, message, Context, signature));

        Register(Alice, "alice", [], height: 1);
        Assert.Equal(AgentSignatureCheck.Valid, _registry.VerifySignature(Alice.NodeId, message, Context, signature)); // first sighting: not kept
        Assert.Equal(AgentSignatureCheck.Valid, _registry.VerifySignature(Alice.NodeId, message, Context, signature)); // second: expanded and kept
        Assert.Equal(1, _keyCache.Count);
        var misses = _keyCache.Misses;
        Assert.Equal(AgentSignatureCheck.Valid, _registry.VerifySignature(Alice.NodeId, message, Context, signature));
        Assert.Equal(misses, _keyCache.Misses);
        Assert.True(_keyCache.Hits >= 1);

        var tampered = (byte[])signature.Clone();
        tampered[100] ^= 1;
        Assert.Equal(AgentSignatureCheck.BadSignature, _registry.VerifySignature(Alice.NodeId, message, Context, tampered));
        Assert.Equal(AgentSignatureCheck.BadSignature, _registry.VerifySignature(Alice.NodeId, "other"u8, Context, signature));
        Assert.Equal(AgentSignatureCheck.BadSignature, _registry.VerifySignature(Alice.NodeId, message, Context, signature.AsSpan(1)));

        // Bob's valid signature does not pass for Alice.
        Register(Bob, "bob", [], height: 1);
        var bobs = new byte[MLDsa87.SignatureSize];
        Bob.Sign(message, Context, bobs);
        Assert.Equal(AgentSignatureCheck.BadSignature, _registry.VerifySignature(Alice.NodeId, message, Context, bobs));

        _registry.Suspend(Alice.NodeId, SyntheticAgents.At(2));
        Assert.Equal(AgentSignatureCheck.Suspended, _registry.VerifySignature(Alice.NodeId, message, Context, signature));
        _registry.RevokeByPolicy(Alice.NodeId, SyntheticAgents.At(3));
        Assert.Equal(AgentSignatureCheck.Revoked, _registry.VerifySignature(Alice.NodeId, message, Context, signature));
    }

    [Fact]
    public void Repeated_signature_checks_of_an_active_agent_allocate_nothing()
    {
        var message = "route me"u8.ToArray();
        var signature = new byte[MLDsa87.SignatureSize];
        Alice.Sign(message, Context, signature);
        Register(Alice, "alice", [], height: 1);
        Assert.Equal(AgentSignatureCheck.Valid, _registry.VerifySignature(Alice.NodeId, message, Context, signature));

        long least = long.MaxValue;
        for (var attempt = 0; attempt < 3 && least != 0; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var valid = 0;
            for (var i = 0; i < 20; i++)
            {
                valid += _registry.VerifySignature(Alice.NodeId, message, Context, signature) == AgentSignatureCheck.Valid ? 1 : 0;
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(20, valid);
        }

        Assert.Equal(0, least);
        Assert.Equal(2, _keyCache.Misses); // the first use (verified without keeping the key) and the second (expanded and kept)
    }

    [Fact]
    public void Policy_revocation_is_terminal_from_active_or_suspended()
    {
        Register(Alice, "alice", ["a"], height: 1);
        Register(Bob, "bob", ["b"], height: 1);
        Assert.Equal(ApplierOutcome.Applied, _registry.RevokeByPolicy(Alice.NodeId, SyntheticAgents.At(4)));
        Assert.Equal(ApplierOutcome.Applied, _registry.Suspend(Bob.NodeId, SyntheticAgents.At(4)));
        Assert.Equal(ApplierOutcome.Applied, _registry.RevokeByPolicy(Bob.NodeId, SyntheticAgents.At(5)));
        Assert.True(_registry.TryGet(Alice.NodeId, out var alice));
        Assert.Equal((AgentStatus.Revoked, 1UL, 4UL, "alice"), (alice.Status, alice.RegisteredAtHeight, alice.UpdatedAtHeight, alice.DisplayName));
        Assert.True(_registry.TryGet(Bob.NodeId, out var bob));
        Assert.Equal(AgentStatus.Revoked, bob.Status);

        var before = _state.Digest;
        AssertRefused(AgentRejection.Revoked, _registry.RevokeByPolicy(Alice.NodeId, SyntheticAgents.At(6)));
        AssertRefused(AgentRejection.Revoked, _registry.Apply(TransactionKind.AgentRevoke, Alice.NodeId, Alice.PublicKey.Span, 2, [], SyntheticAgents.At(6)));
        AssertRefused(AgentRejection.Revoked, _registry.Apply(TransactionKind.AgentUpdate, Alice.NodeId, Alice.PublicKey.Span, 2, AgentTransactions.ProfileBody("x", []), SyntheticAgents.At(6)));
        AssertRefused(AgentRejection.Revoked, Register(Alice, "again", [], height: 6));
        AssertRefused(AgentRejection.Revoked, _registry.Reinstate(Bob.NodeId, SyntheticAgents.At(6)));
        AssertRefused(AgentRejection.NotRegistered, _registry.RevokeByPolicy(RegistryFixture.Agents[2].NodeId, SyntheticAgents.At(6)));
        Assert.Equal(before, _state.Digest);
    }

    [Fact]
    public void The_unsigned_test_path_writes_what_a_committed_register_writes()
    {
        var signed = new MemoryReplicatedState();
        var viaTransaction = new AgentRegistry(signed);
        Assert.Equal(ApplierOutcome.Applied, viaTransaction.Apply(TransactionKind.AgentRegister, Alice.NodeId, Alice.PublicKey.Span, 1, AgentTransactions.ProfileBody("alice", ["a"]), SyntheticAgents.At(3)));
        Assert.Equal(ApplierOutcome.Applied, _registry.RegisterUnsigned(Alice.PublicKey.Span, AgentTransactions.ProfileBody("alice", ["a"]), SyntheticAgents.At(3)));
        Assert.Equal(signed.Digest, _state.Digest);
        AssertRefused(AgentRejection.AlreadyRegistered, _registry.RegisterUnsigned(Alice.PublicKey.Span, AgentTransactions.ProfileBody("alice", ["a"]), SyntheticAgents.At(4)));
        AssertRefused(AgentRejection.NameInvalid, _registry.RegisterUnsigned(Bob.PublicKey.Span, AgentTransactions.ProfileBody("", []), SyntheticAgents.At(4)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(100)]
    [InlineData(1 << 25)]
    public void A_hot_set_capacity_that_is_not_a_power_of_two_in_range_is_refused(int capacity) =>
        Assert.Equal("HotSetCapacity", Assert.Throws<InvalidSettingException>(() => new AgentRegistry(_state, new AgentRegistryOptions { HotSetCapacity = capacity })).Setting);

    private ApplierOutcome Register(MLDsa87Signer agent, string name, string[] tags, ulong height) =>
        _registry.Apply(TransactionKind.AgentRegister, agent.NodeId, agent.PublicKey.Span, 1, AgentTransactions.ProfileBody(name, tags), SyntheticAgents.At(height));

    private static void AssertRefused(AgentRejection expected, ApplierOutcome outcome)
    {
        Assert.Equal(TransactionVerdict.Rejected, outcome.Verdict);
        Assert.Equal((byte)expected, outcome.Code);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Reason));
    }
}
