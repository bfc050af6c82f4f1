using CretoAI.Fast.Consensus.Engine;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Core;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests;

/// <summary>
/// Liveness across crashes: what a node must persist and how it must start again so that the
/// network can always finish the round it is stuck in (docs/consensus.md, "Crash and restart").
/// </summary>
public sealed class RestartTests
{
    [Fact]
    public void A_block_is_persisted_before_the_vote_for_it_and_a_proposal_before_it_leaves()
    {
        var net = new TestNetwork(4);
        net.Start();
        net.Run(2_000);
        for (var i = 0; i < 4; i++)
        {
            var persisted = new HashSet<Hash32>();
            var checkedVotes = 0;
            foreach (var output in net.Outputs[i])
            {
                switch (output)
                {
                    case PersistBlock p:
                        persisted.Add(p.Block.Id);
                        break;
                    case BroadcastMessage { Message: Vote v } when v.VoterIndex == i:
                        Assert.Contains(v.BlockId, persisted);
                        checkedVotes++;
                        break;
                    case BroadcastMessage { Message: Proposal p }:
                        Assert.Contains(p.Block.Id, persisted);
                        break;
                    default:
                        break;
                }
            }

            Assert.True(checkedVotes > 5, $"node {i} voted only {checkedVotes} times");
        }
    }

    [Fact]
    public void A_certified_block_outlives_a_crash_of_every_node_that_voted_for_it()
    {
        var net = new TestNetwork(4);
        var leader = net.Set.LeaderOf(1);
        var outsider = Enumerable.Range(0, 4).First(i => i != leader && i != net.Set.LeaderOf(2)); // proposes nothing here
        net.Start();
        var proposal = net.InFlight.Select(m => m.Message).OfType<Proposal>().First();

        // Round 1: the proposal reaches everyone but the outsider, the votes reach only the outsider.
        // It forms the QC (its lock is now round 1) and asks for the block; the request is lost.
        net.RunDropping(m => m.To == outsider ? m.Message is Proposal : m.Message is Vote or BlockRequest);
        Assert.Equal(1UL, net.Engines[outsider].Safety.HighQc.Round);
        Assert.Equal(1, net.Engines[outsider].WantedBlocks);

        // Every node holding the block crashes before answering; the leader stays down, the two other
        // voters come back with their disks only. Had they not persisted the block before voting, no one
        // could ever extend the QC the outsider is locked on: every later leader must build on it, and
        // no one votes for a block whose parent it lacks.
        net.InFlight.Clear();
        net.Silenced.Add(leader);
        var voters = Enumerable.Range(0, 4).Where(i => i != leader && i != outsider).ToArray();
        net.Now += 1_000;
        foreach (var voter in voters)
        {
            net.Restart(voter);
        }

        var live = voters.Append(outsider).ToArray();
        for (var k = 0; k < 30 && live.Any(i => net.Committed[i].Count == 0); k++)
        {
            net.Now += 10_000;
            net.FireTimers();
            net.Run(5_000);
        }

        Assert.All(live, i => Assert.Equal(proposal.Block.Id, Assert.Single(net.Committed[i], b => b.Height == 1).Id));
    }

    [Fact]
    public void A_node_restarted_after_losing_its_timeout_certificate_rejoins_the_round_it_can_prove()
    {
        var net = new TestNetwork(4);
        var silent = net.Set.LeaderOf(1); // down for the whole test: round 1 has no proposal
        net.Silenced.Add(silent);
        var a = (silent + 1) % 4;
        var others = Enumerable.Range(0, 4).Where(i => i != silent && i != a).ToArray();
        net.Start();
        net.Run();

        // Everyone times out round 1, but only a hears the others: it alone forms the TC and enters round 2.
        net.Now += 5_000;
        net.FireTimers();
        net.RunDropping(m => m.To != a);
        Assert.Equal(2UL, net.Engines[a].Round);
        Assert.All(others, i => Assert.Equal(1UL, net.Engines[i].Round));

        // a times out round 2 as well (last voted round 2 is persisted) and crashes before that
        // timeout, the only carrier of the TC, leaves. The others still need a's timeout for round 1:
        // a node that came back in round 2, unable to prove it, would leave both rounds one timeout short.
        net.Now += 5_000;
        net.FireTimers();
        net.InFlight.Clear();
        Assert.Equal(2UL, net.PersistedSafety[a]!.LastVotedRound);
        net.Restart(a);
        Assert.Equal(1UL, net.Engines[a].Round);

        for (var k = 0; k < 20 && net.Committed.Where((_, i) => i != silent).Any(c => c.Count == 0); k++)
        {
            net.Now += 10_000;
            net.FireTimers();
            net.Run(5_000);
        }

        Assert.All(others.Append(a), i => Assert.True(net.Engines[i].Round > 2, $"node {i} stuck in round {net.Engines[i].Round}"));
        Assert.All(others.Append(a), i => Assert.NotEmpty(net.Committed[i]));
        Assert.True(net.Engines[a].Safety.LastVotedRound >= 2);
    }

    [Fact]
    public void A_leader_restarted_in_its_round_proposes_the_same_block_again()
    {
        var net = new TestNetwork(4);
        var leader = net.Set.LeaderOf(1);
        net.Start();
        var first = net.InFlight.Select(m => m.Message).OfType<Proposal>().First();
        net.InFlight.Clear();

        net.Now = 1_000; // a fresh block now would carry another timestamp, hence another id
        net.Restart(leader);
        var again = net.InFlight.Select(m => m.Message).OfType<Proposal>().First();
        Assert.Equal(first.Block.Id, again.Block.Id);

        var witness = (leader + 1) % 4;
        var outputs = new List<ConsensusOutput>();
        net.Engines[witness].Step(ConsensusInput.Received(leader, first, net.Now), outputs);
        net.Engines[witness].Step(ConsensusInput.Received(leader, again, net.Now), outputs);
        Assert.DoesNotContain(outputs, o => o is EvidenceFound);
    }

    [Fact]
    public void A_lagging_node_fetches_a_chain_of_ancestors_with_one_request_not_one_per_block()
    {
        var net = new TestNetwork(4);
        const int lagger = 3;
        net.Start();

        // The lagger hears nothing while the other three commit a chain of blocks without it.
        for (var k = 0; k < 200 && net.Committed[0].Count < 20; k++)
        {
            net.RunDropping(m => m.To == lagger || m.From == lagger);
            net.Now += 10_000;
            net.FireTimers();
        }

        Assert.True(net.Committed[0].Count >= 20, $"the three committed only {net.Committed[0].Count} blocks");
        Assert.Empty(net.Committed[lagger]);
        var before = net.Outputs[lagger].Count;

        // Back in touch: the first certificate it sees names a block it lacks; the answer to its
        // request carries that block and its ancestors down to genesis. Taking them oldest first
        // links each one to a parent already present, so none of them is requested again.
        for (var k = 0; k < 50 && net.Committed[lagger].Count < 20; k++)
        {
            net.Run();
            net.Now += 10_000;
            net.FireTimers();
        }

        Assert.True(net.Committed[lagger].Count >= 20, $"the lagger committed only {net.Committed[lagger].Count} blocks");
        var requests = net.Outputs[lagger].Skip(before).Count(o => o is SendMessage { Message: BlockRequest });
        Assert.InRange(requests, 1, 3);
        for (var h = 0; h < 20; h++)
        {
            Assert.Equal(net.Committed[0][h].Id, net.Committed[lagger][h].Id);
        }
    }
}
