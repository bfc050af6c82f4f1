using CretoAI.Fast.Consensus.Engine;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Core;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests;

public sealed class EngineTests
{
    [Fact]
    public void Four_honest_validators_commit_the_same_chain()
    {
        var net = new TestNetwork(4);
        net.Start();
        net.Run(5_000);
        Assert.All(net.Committed, c => Assert.True(c.Count >= 10, $"only {c.Count} commits"));
        var shortest = net.Committed.Min(c => c.Count);
        for (var h = 0; h < shortest; h++)
        {
            Assert.Single(net.Committed.Select(c => c[h].Id).Distinct());
            Assert.Equal((ulong)(h + 1), net.Committed[0][h].Height);
        }
    }

    [Fact]
    public void Blocks_far_below_the_committed_tip_are_forgotten_so_memory_stays_bounded()
    {
        var net = new TestNetwork(4);
        net.Start();
        net.Run(40_000);
        Assert.All(net.Committed, c => Assert.True(c.Count >= 200, $"only {c.Count} commits"));
        foreach (var engine in net.Engines)
        {
            // Before, every block ever seen stayed: KnownBlocks was the chain height plus one.
            var aboveTip = (int)(engine.Round - engine.CommittedTip.Round);
            Assert.InRange(engine.KnownBlocks, 2, ConsensusEngine.CommittedBlocksKept + 16 + aboveTip + 2);
        }

        // Agreement is unchanged, and the chains still link up block by block.
        var shortest = net.Committed.Min(c => c.Count);
        for (var h = 1; h < shortest; h++)
        {
            Assert.Single(net.Committed.Select(c => c[h].Id).Distinct());
            Assert.Equal(net.Committed[0][h - 1].Id, net.Committed[0][h].ParentId);
        }
    }

    [Fact]
    public void A_block_certified_before_its_proposal_arrives_is_asked_for_without_the_ancestors_already_here()
    {
        var net = new TestNetwork(4);
        net.Start();
        net.Run(2_000);
        const int Target = 1;
        var round = net.Engines[Target].Round + 4;
        var requests = new List<BlockRequest>();
        var responses = new List<BlockResponse>();
        net.RunDropping(m =>
        {
            switch (m.Message)
            {
                case BlockRequest r when m.From == Target:
                    requests.Add(r);
                    break;
                case BlockResponse r when m.To == Target:
                    responses.Add(r);
                    break;
                case Proposal p when m.To == Target && p.Block.Round == round:
                    return true; // lost: the target learns of the block only from the votes for it
            }

            return false;
        }, maxMessages: 4_000);

        // The target formed the QC from votes and asked for the block with only the ancestors above
        // its committed tip (two-chain commits: one), not the 32 the protocol allows; it got no more.
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.InRange(r.MaxAncestors, 0, 1));
        Assert.NotEmpty(responses);
        Assert.All(responses, r => Assert.InRange(r.Blocks.Count, 1, 2));
        Assert.Equal(0, net.Engines[Target].WantedBlocks);
        var shortest = net.Committed.Min(c => c.Count);
        Assert.True(net.Committed[Target].Any(b => b.Round == round), "the target committed the block it had to fetch");
        for (var h = 0; h < shortest; h++)
        {
            Assert.Single(net.Committed.Select(c => c[h].Id).Distinct());
        }
    }

    [Fact]
    public void Once_the_chain_is_quiet_an_idle_leader_waits_before_an_empty_block_and_transactions_end_the_wait()
    {
        var net = new TestNetwork(4, idleProposalDelay: 100);
        net.Start();
        net.Run(); // empty blocks at full speed until 2n = 8 empty blocks are committed, then the leaders wait
        Assert.All(net.Committed, c => Assert.InRange(c.Count, 8, 12));
        Assert.Empty(net.InFlight);
        var round = net.Engines.Max(e => e.Round);
        var leader = net.Set.LeaderOf(round);
        Assert.Contains(net.Outputs[leader], o => o is SetTimer { FireAt: 100 } t && t.Round == round);

        net.Now = 100;
        net.FireTimer(leader); // the wait is over: an empty block, not a timeout
        Assert.Contains(net.InFlight, m => m.Message is Proposal { Block.Transactions.Count: 0 });
        Assert.Contains(net.Outputs[leader], o => o is SetTimer { FireAt: 1000 } t && t.Round == round); // the round's own timeout again
        net.Run();
        Assert.Empty(net.InFlight);

        var next = net.Set.LeaderOf(net.Engines.Max(e => e.Round));
        var before = net.Committed[0].Count;
        net.Offer(next, [1, 2, 3]); // transactions end the wait at once, no timer needed
        Assert.Contains(net.InFlight, m => m.Message is Proposal { Block.Transactions.Count: 1 });

        // After a block with work the chain runs at full speed again (its commit, then 2n empty
        // blocks) before the leaders wait again; no round timed out anywhere.
        net.Run();
        Assert.All(net.Committed, c => Assert.Contains(c, b => b.Transactions.Count == 1));
        Assert.True(net.Committed[0].Count - before >= 9, $"{net.Committed[0].Count - before} blocks after the transaction");
        Assert.Empty(net.InFlight);
        Assert.All(net.Outputs, o => Assert.DoesNotContain(o, x => x is BroadcastMessage { Message: TimeoutMessage }));
        Assert.All(net.Engines, e => Assert.Equal(0, e.RoundsTimedOut)); // the idle wait's end is not a timeout
    }

    [Fact]
    public void A_leader_fills_a_block_only_up_to_the_byte_limit_and_proposes_the_rest_next()
    {
        var net = new TestNetwork(4, maxBlockTransactionBytes: 1000);
        net.Start();
        net.Run(200);
        var leader = net.Set.LeaderOf(net.Engines.Max(e => e.Round) + 1);
        byte[][] transactions = [.. Enumerable.Range(1, 5).Select(i => Enumerable.Repeat((byte)i, 400).ToArray())];
        net.Offer(leader, transactions);
        net.Run(20_000);

        var chain = net.Committed[0];
        var carrying = chain.Where(b => b.Transactions.Count > 0).ToList();
        Assert.Equal(5, carrying.Sum(b => b.Transactions.Count)); // all five, none lost or repeated
        Assert.All(carrying, b => Assert.True(b.Transactions.Sum(t => t.Length) <= 1000, $"block {b.Height} carries {b.Transactions.Sum(t => t.Length)} bytes"));
        Assert.Equal([2, 2, 1], carrying.Select(b => b.Transactions.Count));
    }

    [Fact]
    public void Transactions_of_a_proposal_a_timeout_abandoned_are_proposed_again_by_their_node()
    {
        var net = new TestNetwork(4);
        net.Start();
        net.Run(200);
        var leader = net.Set.LeaderOf(net.Engines.Max(e => e.Round) + 1);
        byte[][] transactions = [[7, 7, 7], [8, 8, 8], [9, 9, 9]];
        net.Offer(leader, transactions);

        // The proposal carrying them is lost on the wire: no QC, the round ends by timeouts.
        net.RunDropping(m => m.Message is Proposal { Block.Transactions.Count: > 0 });
        Assert.Empty(net.InFlight);
        Assert.All(net.Engines, e => Assert.Equal(0, e.RoundsTimedOut));
        net.FireTimers();
        Assert.All(net.Engines, e => Assert.Equal(1, e.RoundsTimedOut));
        net.FireTimer(leader); // a timer of the round just left counts for nothing
        net.Run(20_000);

        Assert.Equal(3, net.Engines[leader].RequeuedTransactions);
        foreach (var chain in net.Committed)
        {
            var carried = chain.SelectMany(b => b.Transactions).Where(t => t.Length == 3 && t[0] >= 7).ToList();
            Assert.Equal(3, carried.Count); // each once, without a re-offer from outside the engine
        }

        Assert.All(net.Engines.Where((_, i) => i != leader), e => Assert.Equal(0, e.RequeuedTransactions));
    }

    [Fact]
    public void The_idle_wait_must_stay_below_half_the_round_timeout()
    {
        var net = new TestNetwork(4);
        Assert.Throws<InvalidSettingException>(() => new ConsensusConfig { ChainId = net.ChainId, Validators = net.Set, BaseRoundTimeout = 1000, IdleProposalDelay = 500 }.Validate());
        Assert.Throws<InvalidSettingException>(() => new ConsensusConfig { ChainId = net.ChainId, Validators = net.Set, IdleProposalDelay = -1 }.Validate());
        new ConsensusConfig { ChainId = net.ChainId, Validators = net.Set, BaseRoundTimeout = 1000, IdleProposalDelay = 499 }.Validate();
    }

    [Fact]
    public void Safety_state_is_persisted_before_every_vote_and_timeout()
    {
        var net = new TestNetwork(4);
        net.Start();
        net.Run(2_000);
        net.FireTimers();
        foreach (var outputs in net.Outputs)
        {
            ulong persistedRound = 0;
            foreach (var output in outputs)
            {
                switch (output)
                {
                    case PersistSafetyState p:
                        persistedRound = p.State.LastVotedRound;
                        break;
                    case BroadcastMessage { Message: Vote v }:
                        Assert.True(persistedRound >= v.Round, $"vote for round {v.Round} sent with persisted round {persistedRound}");
                        break;
                    case BroadcastMessage { Message: TimeoutMessage t } when t.VoterIndex == net.Engines[Array.IndexOf(net.Outputs, outputs)].Index:
                        Assert.True(persistedRound >= t.Round);
                        break;
                    default:
                        break;
                }
            }
        }
    }

    [Fact]
    public void A_silent_leader_is_replaced_through_a_timeout_certificate()
    {
        var net = new TestNetwork(4);
        var firstLeader = net.Set.LeaderOf(1);
        net.Silenced.Add(firstLeader);
        net.Start();
        net.Run();
        Assert.All(net.Engines, e => Assert.Equal(1UL, e.Round));
        net.Now += 5_000;
        net.FireTimers();
        net.Run(3_000);
        Assert.All(net.Engines.Where(e => e.Index != firstLeader), e => Assert.True(e.Round > 2));
        Assert.All(net.Committed.Where((_, i) => i != firstLeader), c => Assert.NotEmpty(c));
    }

    [Fact]
    public void A_proposal_with_a_bad_signature_changes_nothing()
    {
        var net = new TestNetwork(4);
        net.Start();
        var proposal = net.InFlight.Select(m => m.Message).OfType<Proposal>().First();
        var forged = new Proposal(proposal.Block, [.. proposal.Signature.Select(b => (byte)(b ^ 1))], null);
        var target = (net.Set.LeaderOf(1) + 1) % 4;
        var before = net.Engines[target].Safety;
        var outputs = new List<ConsensusOutput>();
        net.Engines[target].Step(ConsensusInput.Received(net.Set.LeaderOf(1), forged, 0), outputs);
        Assert.Empty(outputs);
        Assert.Same(before, net.Engines[target].Safety);
        Assert.Equal(1, net.Engines[target].Rejected);
    }

    [Fact]
    public void Duplicates_are_dropped_without_signature_work()
    {
        var net = new TestNetwork(4);
        net.Start();
        var leader = net.Set.LeaderOf(1);
        var proposal = net.InFlight.Select(m => m.Message).OfType<Proposal>().First();
        var target = (leader + 1) % 4;
        var engine = net.Engines[target];
        engine.Step(ConsensusInput.Received(leader, proposal, 0), []);
        var checks = engine.Certificates.SignaturesChecked;
        var outputs = new List<ConsensusOutput>();
        engine.Step(ConsensusInput.Received(leader, proposal, 0), outputs);
        Assert.Empty(outputs);
        Assert.Equal(checks, engine.Certificates.SignaturesChecked);
        Assert.Equal(1, engine.DroppedCheaply);
    }

    [Fact]
    public void Two_signed_proposals_for_one_round_become_evidence()
    {
        var net = new TestNetwork(4);
        net.Start();
        var leader = net.Set.LeaderOf(1);
        var proposal = net.InFlight.Select(m => m.Message).OfType<Proposal>().First();
        var other = new Block(net.ChainId, 0, 1, 1, proposal.Block.Qc, leader, [[1, 2, 3]], []);
        var signature = SigningDomain.SignBlockStatement(net.Signers[leader], SignedKind.Proposal, net.ChainId, 0, 1, 1, other.Id);
        var target = (leader + 1) % 4;
        var outputs = new List<ConsensusOutput>();
        net.Engines[target].Step(ConsensusInput.Received(leader, proposal, 0), outputs);
        net.Engines[target].Step(ConsensusInput.Received(leader, new Proposal(other, signature, null), 0), outputs);
        var evidence = Assert.Single(outputs.OfType<EvidenceFound>()).Evidence;
        Assert.Equal(SignedKind.Proposal, evidence.Kind);
        Assert.Equal(leader, evidence.ValidatorIndex);
        Assert.True(net.Engines[(leader + 2) % 4].Certificates.VerifyEvidence(evidence));
        Assert.Single(outputs.OfType<BroadcastMessage>(), b => b.Message is EvidenceMessage);
        Assert.Single(outputs.OfType<BroadcastMessage>(), b => b.Message is Vote); // voted once only
    }

    [Fact]
    public void Evidence_is_included_in_a_later_block_and_committed()
    {
        var net = new TestNetwork(4);
        net.Start();
        var leader = net.Set.LeaderOf(1);
        var proposal = net.InFlight.Select(m => m.Message).OfType<Proposal>().First();
        var other = new Block(net.ChainId, 0, 1, 1, proposal.Block.Qc, leader, [[9]], []);
        var signature = SigningDomain.SignBlockStatement(net.Signers[leader], SignedKind.Proposal, net.ChainId, 0, 1, 1, other.Id);
        for (var to = 0; to < 4; to++)
        {
            if (to != leader)
            {
                net.InFlight.Enqueue((leader, to, new Proposal(other, signature, null)));
            }
        }

        net.Run(5_000);
        Assert.Contains(net.Committed[0], b => b.Evidence.Count > 0 && b.Evidence[0].ValidatorIndex == leader);
    }

    [Fact]
    public void A_restarted_node_never_votes_again_in_a_round_it_voted_in()
    {
        var net = new TestNetwork(4);
        net.Start();
        var leader = net.Set.LeaderOf(1);
        var proposal = net.InFlight.Select(m => m.Message).OfType<Proposal>().First();
        var target = (leader + 1) % 4;
        var outputs = new List<ConsensusOutput>();
        net.Engines[target].Step(ConsensusInput.Received(leader, proposal, 0), outputs);
        var persisted = outputs.OfType<PersistSafetyState>().Last().State;
        Assert.Equal(1UL, persisted.LastVotedRound);

        var restarted = new ConsensusEngine(net.Config, net.Signers[target], FakeSignatureScheme.Instance, persisted);
        var after = new List<ConsensusOutput>();
        restarted.Start(1, after);
        restarted.Step(ConsensusInput.Received(leader, proposal, 1), after);
        Assert.DoesNotContain(after, o => o is BroadcastMessage { Message: Vote });
    }

    [Fact]
    public void Invalid_configuration_is_a_clear_error()
    {
        var net = new TestNetwork(4);
        var bad = new ConsensusConfig { ChainId = net.ChainId, Validators = net.Set, BaseRoundTimeout = 0 };
        var error = Assert.Throws<Core.InvalidSettingException>(() => new ConsensusEngine(bad, net.Signers[0], FakeSignatureScheme.Instance));
        Assert.Contains("base-round-timeout", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ConsensusEngine(net.Config, FakeSignatureScheme.CreateSigner(99), FakeSignatureScheme.Instance));
    }
}
