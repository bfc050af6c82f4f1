using System.Buffers.Binary;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Reputation;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Storage.State;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Routing.Tests.Registry;

/// <summary>Validators' policy votes (<see cref="TransactionKind.AgentPolicy"/>): rules with a fixed quorum, then end to end through the ledger.</summary>
public sealed class AgentPolicyTests
{
    private static readonly MLDsa87Signer Alice = RegistryFixture.Agents[0];
    private static readonly IReadOnlyList<MLDsa87Signer> Validators = RegistryFixture.Validators;

    private readonly MemoryReplicatedState _state = new();
    private readonly AgentRegistry _registry;

    public AgentPolicyTests()
    {
        _registry = new AgentRegistry(_state);

        // Four validators of weight 1; three make a quorum.
        _registry.GovernBy(new FixedQuorum(Validators.Take(4).Select(v => v.NodeId), needed: 3));
    }

    [Fact]
    public void An_action_is_carried_out_when_the_third_of_four_validators_votes_for_it()
    {
        Register(height: 1);
        Assert.Equal(ApplierOutcome.Applied, Vote(0, AgentPolicyAction.Suspend, judged: 1, height: 2));
        Assert.Equal(ApplierOutcome.Applied, Vote(1, AgentPolicyAction.Suspend, judged: 1, height: 3));
        Assert.True(_registry.IsActive(Alice.NodeId));
        Assert.Equal(ApplierOutcome.Applied, Vote(2, AgentPolicyAction.Suspend, judged: 1, height: 4));
        Assert.True(_registry.TryGetAgent(Alice.NodeId, out var view));
        Assert.Equal((AgentStatus.Suspended, 4UL), (view.Status, view.UpdatedAtHeight));

        // Carried out: the votes are gone from the state, only the agent record remains.
        Assert.Equal(1, _state.Count);

        // Reinstate, then revoke, each judging the record as it now is.
        Assert.Equal(ApplierOutcome.Applied, Vote(3, AgentPolicyAction.Reinstate, judged: 4, height: 5));
        Assert.Equal(ApplierOutcome.Applied, Vote(1, AgentPolicyAction.Reinstate, judged: 4, height: 5));
        Assert.Equal(ApplierOutcome.Applied, Vote(0, AgentPolicyAction.Reinstate, judged: 4, height: 6));
        Assert.True(_registry.IsActive(Alice.NodeId));
        foreach (var v in new[] { 0, 1, 2 })
        {
            Assert.Equal(ApplierOutcome.Applied, Vote(v, AgentPolicyAction.Revoke, judged: 6, height: 7));
        }

        Assert.True(_registry.TryGetAgent(Alice.NodeId, out view));
        Assert.Equal(AgentStatus.Revoked, view.Status);
        AssertRefused(AgentRejection.Revoked, Vote(3, AgentPolicyAction.Reinstate, judged: 7, height: 8));
    }

    [Fact]
    public void Refused_votes_write_nothing_and_say_why()
    {
        AssertRefused(AgentRejection.NotRegistered, Vote(0, AgentPolicyAction.Suspend, judged: 1, height: 1));
        Register(height: 1);
        Assert.Equal(ApplierOutcome.Applied, Vote(0, AgentPolicyAction.Suspend, judged: 1, height: 2));
        var before = _state.Digest;

        AssertRefused(AgentRejection.AlreadyVoted, Vote(0, AgentPolicyAction.Suspend, judged: 1, height: 3));
        AssertRefused(AgentRejection.NotAValidator, _registry.Apply(TransactionKind.AgentPolicy, Alice.NodeId, Alice.PublicKey.Span, 2, Body(AgentPolicyAction.Suspend, 1), SyntheticAgents.At(3)));
        AssertRefused(AgentRejection.StaleDecision, Vote(1, AgentPolicyAction.Suspend, judged: 0, height: 3));
        AssertRefused(AgentRejection.NotSuspended, Vote(1, AgentPolicyAction.Reinstate, judged: 1, height: 3));
        var malformed = _registry.Apply(TransactionKind.AgentPolicy, Validators[1].NodeId, Validators[1].PublicKey.Span, 1, Body(AgentPolicyAction.None, 1), SyntheticAgents.At(3));
        Assert.Equal((TransactionVerdict.Malformed, (byte)AgentRejection.MalformedBody), (malformed.Verdict, malformed.Code));
        malformed = _registry.Apply(TransactionKind.AgentPolicy, Validators[1].NodeId, Validators[1].PublicKey.Span, 1, Body(AgentPolicyAction.Suspend, 1)[..40], SyntheticAgents.At(3));
        Assert.Equal(TransactionVerdict.Malformed, malformed.Verdict);
        Assert.Equal(before, _state.Digest);

        var ungoverned = new AgentRegistry(new MemoryReplicatedState());
        AssertRefused(AgentRejection.PolicyUnavailable, ungoverned.Apply(TransactionKind.AgentPolicy, Validators[0].NodeId, Validators[0].PublicKey.Span, 1, Body(AgentPolicyAction.Suspend, 1), SyntheticAgents.At(1)));
        Assert.Throws<InvalidOperationException>(() => _registry.GovernBy(new FixedQuorum([], 1)));
    }

    [Fact]
    public void A_change_to_the_record_leaves_earlier_votes_behind()
    {
        Register(height: 1);
        Assert.Equal(ApplierOutcome.Applied, Vote(0, AgentPolicyAction.Suspend, judged: 1, height: 2));
        Assert.Equal(ApplierOutcome.Applied, Vote(1, AgentPolicyAction.Suspend, judged: 1, height: 2));

        // The agent updates its profile: votes on the old record no longer count toward the new one.
        Assert.Equal(ApplierOutcome.Applied, _registry.Apply(TransactionKind.AgentUpdate, Alice.NodeId, Alice.PublicKey.Span, 2, AgentTransactions.ProfileBody("alice v2", []), SyntheticAgents.At(3)));
        AssertRefused(AgentRejection.StaleDecision, Vote(2, AgentPolicyAction.Suspend, judged: 1, height: 4));
        Assert.Equal(ApplierOutcome.Applied, Vote(2, AgentPolicyAction.Suspend, judged: 3, height: 4));
        Assert.True(_registry.IsActive(Alice.NodeId));
    }

    [Fact]
    public void Through_the_ledger_validators_votes_suspend_an_agent_and_every_replica_agrees()
    {
        var fixture = new RegistryFixture();
        var replicas = new[] { new MemoryReplicatedState(), new MemoryReplicatedState() };
        var nodes = replicas.Select(state =>
        {
            var (ledger, registry) = fixture.NewLedger(state);
            registry.GovernBy(new LedgerPolicyQuorum(ledger));
            return (ledger, registry);
        }).ToArray();

        var blocks = new List<(Block Block, TransactionVerdict[] Verdicts)>
        {
            (fixture.Next(AgentTransactions.Register(Alice, fixture.ChainId, 1, "alice", ["a"])), [TransactionVerdict.Applied]),
            (fixture.Next(
                AgentTransactions.Policy(Validators[0], fixture.ChainId, 1, Alice.NodeId, AgentPolicyAction.Suspend, 1),
                AgentTransactions.Policy(Validators[0], fixture.ChainId, 2, Alice.NodeId, AgentPolicyAction.Suspend, 1),
                AgentTransactions.Policy(Alice, fixture.ChainId, 2, Alice.NodeId, AgentPolicyAction.Suspend, 1),
                AgentTransactions.Policy(Validators[1], fixture.ChainId, 1, Alice.NodeId, AgentPolicyAction.Suspend, 1)),
             [TransactionVerdict.Applied, TransactionVerdict.Rejected, TransactionVerdict.Rejected, TransactionVerdict.Applied]),
            (fixture.Next(AgentTransactions.Policy(Validators[2], fixture.ChainId, 1, Alice.NodeId, AgentPolicyAction.Suspend, 1)), [TransactionVerdict.Applied]),
        };

        foreach (var (ledger, registry) in nodes)
        {
            for (var b = 0; b < blocks.Count; b++)
            {
                var outcomes = ledger.Apply(blocks[b].Block).Transactions;
                Assert.Equal(blocks[b].Verdicts, outcomes.Select(o => o.Verdict));
                if (b == 1)
                {
                    Assert.True(registry.IsActive(Alice.NodeId), "two of four validators are not a quorum");
                    Assert.Contains("already voted", outcomes[1].Reason, StringComparison.Ordinal);
                    Assert.Contains("not in this block's validator set", outcomes[2].Reason, StringComparison.Ordinal);
                }
            }

            Assert.True(registry.TryGetAgent(Alice.NodeId, out var view));
            Assert.Equal((AgentStatus.Suspended, blocks[2].Block.Height), (view.Status, view.UpdatedAtHeight));
            Assert.Equal(1UL, ledger.AccountNonceOf(Validators[0].NodeId));
        }

        Assert.Equal(replicas[0].Digest, replicas[1].Digest);
    }

    private static byte[] Body(AgentPolicyAction action, ulong judged)
    {
        var body = new byte[AgentRegistry.PolicyBodySize];
        Alice.NodeId.CopyTo(body);
        body[Hash32.Size] = (byte)action;
        BinaryPrimitives.WriteUInt64LittleEndian(body.AsSpan(Hash32.Size + 1), judged);
        return body;
    }

    private void Register(ulong height) =>
        Assert.Equal(ApplierOutcome.Applied, _registry.Apply(TransactionKind.AgentRegister, Alice.NodeId, Alice.PublicKey.Span, 1, AgentTransactions.ProfileBody("alice", []), SyntheticAgents.At(height)));

    private ApplierOutcome Vote(int validator, AgentPolicyAction action, ulong judged, ulong height) =>
        _registry.Apply(TransactionKind.AgentPolicy, Validators[validator].NodeId, Validators[validator].PublicKey.Span, 1, Body(action, judged), SyntheticAgents.At(height));

    private static void AssertRefused(AgentRejection expected, ApplierOutcome outcome)
    {
        Assert.Equal(TransactionVerdict.Rejected, outcome.Verdict);
        Assert.Equal((byte)expected, outcome.Code);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Reason));
    }

    private sealed class FixedQuorum(IEnumerable<Hash32> validators, ulong needed) : IAgentPolicyQuorum
    {
        private readonly HashSet<Hash32> _validators = [.. validators];

        public ulong WeightOf(Hash32 validator) => _validators.Contains(validator) ? 1UL : 0;

        public bool ReachesQuorum(ulong weight, BlockContext at) => weight >= needed;
    }
}
