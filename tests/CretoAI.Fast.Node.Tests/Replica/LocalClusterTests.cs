using CretoAI.Fast.Core;
using CretoAI.Fast.Node.Tests.Infrastructure;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Node.Tests.Replica;

public sealed class LocalClusterTests() : TempRootTests("cretoai-replica-")
{
    [Fact]
    public async Task Four_validators_commit_transactions_and_agree_on_blocks_and_state()
    {
        await using var cluster = new LocalCluster(4, Root);
        await cluster.StartAllAsync();
        var submitted = new List<byte[]>();
        for (ulong n = 1; n <= 20; n++)
        {
            var tx = cluster.Payload((int)(n % 4), (n + 3) / 4, $"hello {n}");
            submitted.Add(tx);
            var status = await cluster.Nodes[(int)(n % 4)]!.SubmitAsync(tx, CancellationToken.None);
            Assert.Equal(SubmitStatus.Accepted, status);
        }

        // Each transaction goes into a block its receiving node proposes; wait for every one on every node.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        foreach (var tx in submitted)
        {
            var id = CretoAI.Fast.Crypto.Sha3.Hash256(tx);
            foreach (var node in cluster.Nodes)
            {
                await node!.WaitForCommitAsync(id, timeout.Token);
            }
        }

        await cluster.WaitForHeightAsync(20, TimeSpan.FromSeconds(90));
        var height = cluster.Nodes.Min(n => n!.Status.Height);
        var transactions = 0;
        for (ulong h = 1; h <= height; h++)
        {
            Assert.True(cluster.Nodes[0]!.TryGetCommittedBlock(h, out var reference));
            transactions += reference.TransactionCount;
            for (var i = 1; i < 4; i++)
            {
                Assert.True(cluster.Nodes[i]!.TryGetCommittedBlock(h, out var other));
                Assert.Equal(reference.BlockHash, other.BlockHash);
                Assert.Equal(reference.StateHash, other.StateHash);
            }
        }

        Assert.True(transactions >= 20, $"only {transactions} transactions in blocks 1..{height}");
    }

    [Fact]
    public async Task A_stopped_validator_catches_up_from_its_peers_and_matches_their_chain()
    {
        await using var cluster = new LocalCluster(4, Root);
        await cluster.StartAllAsync();
        await cluster.WaitForHeightAsync(5, TimeSpan.FromSeconds(90));
        await cluster.StopAsync(3);
        var before = cluster.Nodes[0]!.Status.Height;
        await cluster.WaitForHeightAsync(before + 60, TimeSpan.FromSeconds(120), 0, 1, 2);
        await cluster.StartAsync(3);
        var target = cluster.Nodes[0]!.Status.Height;
        await cluster.WaitForHeightAsync(target, TimeSpan.FromSeconds(120), 3);
        for (ulong h = 1; h <= target; h++)
        {
            Assert.True(cluster.Nodes[0]!.TryGetCommittedBlock(h, out var reference));
            Assert.True(cluster.Nodes[3]!.TryGetCommittedBlock(h, out var caughtUp));
            Assert.Equal(reference.BlockHash, caughtUp.BlockHash);
            Assert.Equal(reference.StateHash, caughtUp.StateHash);
        }

        // It rejoins consensus: it keeps committing with the others.
        await cluster.WaitForHeightAsync(target + 10, TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task All_validators_restarted_keep_their_committed_prefix_and_commit_again()
    {
        // Each graceful stop writes a checkpoint, which prunes the WAL up to the last committed
        // block; the blocks voted on above it must survive that, or the highest certificate names a
        // block no validator has and no proposal can be voted on again (this used to stall here).
        await using var cluster = new LocalCluster(4, Root);
        await cluster.StartAllAsync();
        await cluster.WaitForHeightAsync(10, TimeSpan.FromSeconds(90));
        var before = new Dictionary<ulong, Hash32>();
        for (var i = 0; i < 4; i++)
        {
            var node = cluster.Nodes[i]!;
            for (ulong h = 1; h <= node.Status.Height; h++)
            {
                Assert.True(node.TryGetCommittedBlock(h, out var block));
                if (before.TryGetValue(h, out var seen))
                {
                    Assert.Equal(seen, block.BlockHash);
                }

                before[h] = block.BlockHash;
            }

            await cluster.StopAsync(i);
        }

        await cluster.StartAllAsync();
        var height = before.Keys.Max();
        await cluster.WaitForHeightAsync(height + 10, TimeSpan.FromSeconds(90));
        for (var i = 0; i < 4; i++)
        {
            foreach (var (h, hash) in before)
            {
                Assert.True(cluster.Nodes[i]!.TryGetCommittedBlock(h, out var block));
                Assert.Equal(hash, block.BlockHash);
            }
        }
    }

    [Fact]
    public async Task A_validator_restarted_with_its_storage_opened_early_keeps_its_chain_and_commits_again()
    {
        await using var cluster = new LocalCluster(4, Root);
        await cluster.StartAllAsync();
        await cluster.WaitForHeightAsync(6, TimeSpan.FromSeconds(90));
        await cluster.StopAsync(3);
        await cluster.StopAsync(2);
        await cluster.StartAsync(2, openStorageEarly: true);

        // Node 3 starts with nothing but what it recovers itself; node 2 kept its chain the same way.
        var before = new Dictionary<ulong, Hash32>();
        var node2 = cluster.Nodes[2]!;
        Assert.True(node2.Status.Height >= 6, $"node 2 recovered only height {node2.Status.Height}");
        for (ulong h = 1; h <= node2.Status.Height; h++)
        {
            Assert.True(node2.TryGetCommittedBlock(h, out var block));
            before[h] = block.BlockHash;
        }

        await cluster.StartAsync(3, openStorageEarly: true);
        var height = before.Keys.Max();
        await cluster.WaitForHeightAsync(height + 5, TimeSpan.FromSeconds(90));
        for (var i = 0; i < 4; i++)
        {
            foreach (var (h, hash) in before)
            {
                Assert.True(cluster.Nodes[i]!.TryGetCommittedBlock(h, out var block));
                Assert.Equal(hash, block.BlockHash);
            }
        }
    }

    // A round timeout far beyond the tests' waits: any commit these tests see was made without a
    // round timing out, so a message lost at start shows up as a failure, not as a slow start.
    private const long NoTimeoutMs = 3_600_000;

    [Fact]
    public async Task A_fresh_cluster_commits_without_any_round_timing_out()
    {
        await using var cluster = new LocalCluster(4, Root, roundTimeoutMs: NoTimeoutMs);
        await cluster.StartAllAsync();
        await cluster.WaitForHeightAsync(5, TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task Validators_that_start_after_the_first_proposal_are_sent_it_when_their_links_come_up()
    {
        await using var cluster = new LocalCluster(4, Root, roundTimeoutMs: NoTimeoutMs);
        var validators = cluster.Genesis.CreateValidatorSet();
        var leader = Enumerable.Range(0, 4).Single(i => validators.IndexOf(cluster.Genesis.NodeIdOf(i)) == validators.LeaderOf(1));
        var early = (leader + 1) % 4;

        // Two of four: no quorum. The leader proposes round 1 and both vote while the other two are not
        // listening yet, so nothing of round 1 reaches them unless it is sent again once they are up.
        await cluster.StartAsync(leader);
        await cluster.StartAsync(early);
        await Eventually.AssertAsync(
            () => cluster.Nodes[leader]!.LiveStatus() is { Round: >= 1, ConnectedValidators: 1 } && cluster.Nodes[early]!.LiveStatus() is { Round: >= 1, ConnectedValidators: 1 },
            "the two early validators in round 1 and linked to each other");
        Assert.Equal(0UL, cluster.Nodes[leader]!.Status.Height);

        for (var i = 0; i < 4; i++)
        {
            if (cluster.Nodes[i] is null)
            {
                await cluster.StartAsync(i);
            }
        }

        await cluster.WaitForHeightAsync(3, TimeSpan.FromSeconds(90));
    }
}
