using CretoAI.Fast.Crypto;
using CretoAI.Fast.Reputation;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.State;
using CretoAI.Fast.Wire.Transactions;
using CsCheck;

namespace CretoAI.Fast.Routing.Tests.Registry;

/// <summary>Every rule of the registry, applied directly (the ledger's checks are in <see cref="AgentLedgerTests"/>).</summary>
public sealed class AgentRegistryRuleTests
{
    private static readonly MLDsa87Signer Alice = RegistryFixture.Agents[0];
    private static readonly MLDsa87Signer Bob = RegistryFixture.Agents[1];

    private readonly MemoryReplicatedState _state = new();
    private readonly AgentRegistry _registry;

    public AgentRegistryRuleTests() => _registry = new AgentRegistry(_state);

    [Fact]
    public void Register_creates_an_active_record_with_the_senders_key_name_tags_and_height()
    {
        Assert.False(_registry.TryGet(Alice.NodeId, out _));
        Assert.Equal(ApplierOutcome.Applied, Register(Alice, "Alice — planner", ["planner", "eu-west.1"], height: 7));

        Assert.True(_registry.TryGet(Alice.NodeId, out var record));
        Assert.Equal(Alice.NodeId, record.AgentId);
        Assert.Equal(AgentRegistry.AgentIdOf(Alice.PublicKey.Span), record.AgentId);
        Assert.Equal(Alice.PublicKey.ToArray(), record.PublicKey.ToArray());
        Assert.Equal("Alice — planner", record.DisplayName);
        Assert.Equal(["planner", "eu-west.1"], record.Tags);
        Assert.Equal(AgentStatus.Active, record.Status);
        Assert.Equal(7UL, record.RegisteredAtHeight);
        Assert.Equal(7UL, record.UpdatedAtHeight);
        Assert.False(_registry.TryGet(Bob.NodeId, out _));
    }

    [Fact]
    public void Registering_twice_is_already_registered_and_writes_nothing()
    {
        Register(Alice, "alice", ["a"], height: 1);
        var before = _state.Digest;
        AssertRefused(AgentRejection.AlreadyRegistered, Register(Alice, "alice again", ["b"], height: 2));
        Assert.Equal(before, _state.Digest);
        Assert.True(_registry.TryGet(Alice.NodeId, out var record));
        Assert.Equal("alice", record.DisplayName);
    }

    [Fact]
    public void Update_replaces_name_and_tags_and_keeps_the_registration_height()
    {
        Register(Alice, "alice", ["a", "b"], height: 3);
        Assert.Equal(ApplierOutcome.Applied, Update(Alice, "alice v2", ["c"], height: 9));
        Assert.True(_registry.TryGet(Alice.NodeId, out var record));
        Assert.Equal(("alice v2", 3UL, 9UL, AgentStatus.Active), (record.DisplayName, record.RegisteredAtHeight, record.UpdatedAtHeight, record.Status));
        Assert.Equal(["c"], record.Tags);

        // Down to no tags at all, and a longer profile after a shorter one.
        Assert.Equal(ApplierOutcome.Applied, Update(Alice, "a", [], height: 10));
        Assert.Equal(ApplierOutcome.Applied, Update(Alice, new string('x', 64), [.. Enumerable.Range(0, 16).Select(i => $"tag-{i}")], height: 11));
        Assert.True(_registry.TryGet(Alice.NodeId, out record));
        Assert.Equal(16, record.Tags.Count);
    }

    [Fact]
    public void Update_and_revoke_of_an_unknown_agent_are_not_registered()
    {
        var before = _state.Digest;
        AssertRefused(AgentRejection.NotRegistered, Update(Bob, "bob", [], height: 1));
        AssertRefused(AgentRejection.NotRegistered, Revoke(Bob, height: 1));
        AssertRefused(AgentRejection.NotRegistered, _registry.Suspend(Bob.NodeId, At(1)));
        AssertRefused(AgentRejection.NotRegistered, _registry.Reinstate(Bob.NodeId, At(1)));
        Assert.Equal(before, _state.Digest);
    }

    [Fact]
    public void Only_the_agent_itself_can_change_its_record()
    {
        // Bob's update is about Bob's own (missing) record: there is no way to name Alice's.
        Register(Alice, "alice", ["a"], height: 1);
        AssertRefused(AgentRejection.NotRegistered, Update(Bob, "not alice", [], height: 2));
        AssertRefused(AgentRejection.NotRegistered, Revoke(Bob, height: 2));
        Assert.True(_registry.TryGet(Alice.NodeId, out var record));
        Assert.Equal(("alice", AgentStatus.Active), (record.DisplayName, record.Status));
    }

    [Fact]
    public void Revocation_is_terminal()
    {
        Register(Alice, "alice", ["a"], height: 1);
        Assert.Equal(ApplierOutcome.Applied, Revoke(Alice, height: 5));
        Assert.True(_registry.TryGet(Alice.NodeId, out var record));
        Assert.Equal((AgentStatus.Revoked, 1UL, 5UL, "alice"), (record.Status, record.RegisteredAtHeight, record.UpdatedAtHeight, record.DisplayName));

        var before = _state.Digest;
        AssertRefused(AgentRejection.Revoked, Update(Alice, "back", [], height: 6));
        AssertRefused(AgentRejection.Revoked, Revoke(Alice, height: 6));
        AssertRefused(AgentRejection.Revoked, Register(Alice, "again", [], height: 6));
        AssertRefused(AgentRejection.Revoked, _registry.Suspend(Alice.NodeId, At(6)));
        AssertRefused(AgentRejection.Revoked, _registry.Reinstate(Alice.NodeId, At(6)));
        Assert.Equal(before, _state.Digest);
    }

    [Fact]
    public void A_revoke_with_a_body_is_malformed()
    {
        Register(Alice, "alice", [], height: 1);
        var outcome = _registry.Apply(TransactionKind.AgentRevoke, Alice.NodeId, Alice.PublicKey.Span, 2, [0], At(2));
        Assert.Equal(TransactionVerdict.Malformed, outcome.Verdict);
        Assert.Equal((byte)AgentRejection.MalformedBody, outcome.Code);
        Assert.True(_registry.TryGet(Alice.NodeId, out var record));
        Assert.Equal(AgentStatus.Active, record.Status);
    }

    [Fact]
    public void A_suspended_agent_cannot_update_but_can_be_reinstated_or_revoke_itself()
    {
        Register(Alice, "alice", ["a"], height: 1);
        AssertRefused(AgentRejection.NotSuspended, _registry.Reinstate(Alice.NodeId, At(2)));
        Assert.Equal(ApplierOutcome.Applied, _registry.Suspend(Alice.NodeId, At(3)));
        Assert.True(_registry.TryGet(Alice.NodeId, out var record));
        Assert.Equal((AgentStatus.Suspended, 3UL), (record.Status, record.UpdatedAtHeight));

        AssertRefused(AgentRejection.Suspended, Update(Alice, "alice v2", [], height: 4));
        AssertRefused(AgentRejection.Suspended, _registry.Suspend(Alice.NodeId, At(4)));

        Assert.Equal(ApplierOutcome.Applied, _registry.Reinstate(Alice.NodeId, At(5)));
        Assert.Equal(ApplierOutcome.Applied, Update(Alice, "alice v2", [], height: 6));

        Assert.Equal(ApplierOutcome.Applied, _registry.Suspend(Alice.NodeId, At(7)));
        Assert.Equal(ApplierOutcome.Applied, Revoke(Alice, height: 8));
        Assert.True(_registry.TryGet(Alice.NodeId, out record));
        Assert.Equal(AgentStatus.Revoked, record.Status);
    }

    public static TheoryData<string> InvalidNames => new()
    {
        string.Empty,
        new string('n', 65),
        new string('é', 33), // 66 bytes of UTF-8
        "tab\there",
        "new\nline",
        "nul\0",
        "del\u007F",
        "c1\u0085control",
    };

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void An_invalid_display_name_is_refused(string name)
    {
        AssertRefused(AgentRejection.NameInvalid, Register(Alice, name, ["ok"], height: 1));
        Assert.False(_registry.TryGet(Alice.NodeId, out _));
    }

    [Fact]
    public void A_name_that_is_not_utf8_is_refused() =>
        AssertRefused(AgentRejection.NameInvalid, RegisterRaw(Alice, [2, 0xC3, 0x28, 0]));

    [Theory]
    [InlineData("a")]
    [InlineData("Agent 007 — ünïcode ✓")]
    public void Names_up_to_64_bytes_of_utf8_are_accepted(string name)
    {
        Assert.Equal(ApplierOutcome.Applied, Register(Alice, name, [], height: 1));
        Assert.True(_registry.TryGet(Alice.NodeId, out var record));
        Assert.Equal(name, record.DisplayName);
    }

    [Fact]
    public void A_64_byte_multibyte_name_is_accepted() =>
        Assert.Equal(ApplierOutcome.Applied, Register(Alice, new string('é', 32), [], height: 1));

    [Fact]
    public void More_than_16_tags_is_too_many()
    {
        AssertRefused(AgentRejection.TooManyTags, Register(Alice, "alice", [.. Enumerable.Range(0, 17).Select(i => $"t{i}")], height: 1));
        Assert.Equal(ApplierOutcome.Applied, Register(Alice, "alice", [.. Enumerable.Range(0, 16).Select(i => $"t{i}")], height: 1));
    }

    public static TheoryData<string[]> InvalidTags => new()
    {
        new[] { string.Empty },
        new[] { "Upper" },
        new[] { "has space" },
        new[] { "slash/" },
        new[] { "ü" },
        new[] { new string('t', 33) },
        new[] { "dup", "other", "dup" },
    };

    [Theory]
    [MemberData(nameof(InvalidTags))]
    public void An_invalid_tag_is_refused(string[] tags) =>
        AssertRefused(AgentRejection.TagInvalid, Register(Alice, "alice", tags, height: 1));

    [Fact]
    public void Tags_of_every_allowed_character_up_to_32_bytes_are_accepted()
    {
        Assert.Equal(ApplierOutcome.Applied, Register(Alice, "alice", ["abcdefghijklmnopqrstuvwxyz", "0123456789._-", new string('z', 32)], height: 1));
        Assert.True(_registry.TryGet(Alice.NodeId, out var record));
        Assert.Equal(3, record.Tags.Count);
    }

    public static TheoryData<byte[]> MalformedBodies => new()
    {
        Array.Empty<byte>(),                     // nothing
        new byte[] { 5, (byte)'a' },             // name longer than the body
        new byte[] { 1, (byte)'a' },             // no tag count
        new byte[] { 1, (byte)'a', 2, 1, (byte)'x' }, // two tags declared, one present
        new byte[] { 1, (byte)'a', 1, 3, (byte)'x' }, // a tag longer than what is left
        new byte[] { 1, (byte)'a', 0, 0 },       // a byte after the last tag
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public void A_body_whose_lengths_do_not_add_up_is_malformed(byte[] body)
    {
        var outcome = RegisterRaw(Alice, body);
        Assert.Equal(TransactionVerdict.Malformed, outcome.Verdict);
        Assert.Equal((byte)AgentRejection.MalformedBody, outcome.Code);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Reason));
        Assert.Equal(0UL, _state.Digest.Count);
    }

    [Fact]
    public void The_body_is_judged_before_the_record_and_the_name_before_the_tags()
    {
        Register(Alice, "alice", [], height: 1);
        Assert.Equal(TransactionVerdict.Malformed, RegisterRaw(Alice, [9]).Verdict); // malformed beats already registered
        AssertRefused(AgentRejection.NameInvalid, Register(Alice, string.Empty, ["BAD"], height: 2));
        AssertRefused(AgentRejection.TooManyTags, Register(Alice, "ok", [.. Enumerable.Range(0, 17).Select(_ => "BAD")], height: 2));
        AssertRefused(AgentRejection.AlreadyRegistered, Register(Alice, "ok", ["fine"], height: 2));
        AssertRefused(AgentRejection.NameInvalid, Update(Bob, string.Empty, [], height: 2)); // before "not registered"
    }

    [Fact]
    public void The_registry_handles_exactly_the_four_agent_kinds()
    {
        var handled = Enum.GetValues<TransactionKind>().Where(_registry.Handles).ToArray();
        Assert.Equal([TransactionKind.AgentRegister, TransactionKind.AgentUpdate, TransactionKind.AgentRevoke, TransactionKind.AgentPolicy], handled);
        Assert.Throws<ArgumentOutOfRangeException>(() => _registry.Apply(TransactionKind.Payload, Alice.NodeId, Alice.PublicKey.Span, 1, [], At(1)));
    }

    [Fact]
    public void A_register_whose_sender_is_not_its_key_is_a_callers_bug() =>
        Assert.Throws<ArgumentException>(() => _registry.Apply(TransactionKind.AgentRegister, Bob.NodeId, Alice.PublicKey.Span, 1, AgentTransactions.ProfileBody("x", []), At(1)));

    [Fact]
    public void Any_body_gets_an_outcome_and_a_refusal_never_writes()
    {
        Gen.Select(Gen.OneOfConst(TransactionKind.AgentRegister, TransactionKind.AgentUpdate, TransactionKind.AgentRevoke), Gen.Byte.Array[0, 120], Gen.Bool).Sample(t =>
        {
            var (kind, body, asBob) = t;
            var state = new MemoryReplicatedState();
            var registry = new AgentRegistry(state);
            registry.Apply(TransactionKind.AgentRegister, Bob.NodeId, Bob.PublicKey.Span, 1, AgentTransactions.ProfileBody("bob", ["b"]), At(1));
            var agent = asBob ? Bob : Alice;
            var before = state.Digest;
            var outcome = registry.Apply(kind, agent.NodeId, agent.PublicKey.Span, 2, body, At(2));
            if (outcome.Verdict == TransactionVerdict.Applied)
            {
                Assert.Equal(0, outcome.Code);
                Assert.NotEqual(before, state.Digest);
            }
            else
            {
                Assert.NotEqual(0, outcome.Code);
                Assert.False(string.IsNullOrWhiteSpace(outcome.Reason));
                Assert.Equal(before, state.Digest);
            }
        }, iter: 500);
    }

    [Fact]
    public void A_damaged_record_is_a_storage_error_not_an_answer()
    {
        Register(Alice, "alice", ["a"], height: 1);
        _state.Write(StateKey.For(StateNamespace.AgentRecord, Alice.NodeId), new byte[40]);
        var e = Assert.Throws<StorageException>(() => _registry.TryGet(Alice.NodeId, out _));
        Assert.Equal(StorageError.StateCorrupt, e.Error);
    }

    private static BlockContext At(ulong height) => new(height, RegistryFixture.GenesisTime + (height * 1000));

    private ApplierOutcome Register(MLDsa87Signer agent, string name, string[] tags, ulong height) =>
        _registry.Apply(TransactionKind.AgentRegister, agent.NodeId, agent.PublicKey.Span, 1, AgentTransactions.ProfileBody(name, tags), At(height));

    private ApplierOutcome RegisterRaw(MLDsa87Signer agent, byte[] body) =>
        _registry.Apply(TransactionKind.AgentRegister, agent.NodeId, agent.PublicKey.Span, 1, body, At(1));

    private ApplierOutcome Update(MLDsa87Signer agent, string name, string[] tags, ulong height) =>
        _registry.Apply(TransactionKind.AgentUpdate, agent.NodeId, agent.PublicKey.Span, 2, AgentTransactions.ProfileBody(name, tags), At(height));

    private ApplierOutcome Revoke(MLDsa87Signer agent, ulong height) =>
        _registry.Apply(TransactionKind.AgentRevoke, agent.NodeId, agent.PublicKey.Span, 3, [], At(height));

    private static void AssertRefused(AgentRejection expected, ApplierOutcome outcome)
    {
        Assert.Equal(TransactionVerdict.Rejected, outcome.Verdict);
        Assert.Equal((byte)expected, outcome.Code);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Reason));
    }
}
