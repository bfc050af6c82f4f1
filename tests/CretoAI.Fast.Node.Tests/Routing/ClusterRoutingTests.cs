using System.Text;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Net.Client;
using CretoAI.Fast.Node.Tests.Infrastructure;
using CretoAI.Fast.Node.Tests.Replica;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Routing.Router;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Node.Tests.Routing;

/// <summary>Agents registered on chain, connected to different validators of a 4-node loopback cluster.</summary>
public sealed class ClusterRoutingTests() : TempRootTests("cretoai-routing-")
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Messages_cross_validators_and_survive_a_restart_of_the_recipients_node_delivered_once()
    {
        await using var cluster = new LocalCluster(4, Root, configure: s =>
        {
            s.Router.RedeliverAfterMs = 500;
            s.Router.PresenceRefreshMs = 1_000;
            s.Router.PresenceTtlMs = 5_000;
        });
        await cluster.StartAllAsync();
        await cluster.WaitForHeightAsync(1, Guard);

        using var alice = RouterHost.NewAgent();
        using var bob = RouterHost.NewAgent();
        using var carol = RouterHost.NewAgent();
        await RegisterAsync(cluster, alice, "alice");
        await RegisterAsync(cluster, bob, "bob");
        await RegisterAsync(cluster, carol, "carol");
        await Eventually.AssertAsync(() => Enumerable.Range(0, 4).All(i => cluster.Nodes[i]!.Agents!.TryGet(carol.NodeId, out _)), "every validator has applied the registrations");

        await using var aliceClient = await AgentClient.ConnectAsync(cluster.Nodes[0]!.LocalEndPoint!, alice).WaitAsync(Guard);
        await using var carolClient = await AgentClient.ConnectAsync(cluster.Nodes[0]!.LocalEndPoint!, carol).WaitAsync(Guard);
        var bobWindow = new ReceivedMessageWindow(1024, TimeSpan.FromMinutes(10));
        var bobFirst = await AgentClient.ConnectAsync(cluster.Nodes[1]!.LocalEndPoint!, bob, new AgentClientOptions { AutoAcknowledge = false, Received = bobWindow }).WaitAsync(Guard);

        // Same node.
        var local = await aliceClient.SendAsync(carol.NodeId, "local"u8.ToArray()).WaitAsync(Guard);
        Assert.Equal((byte)RouteStatus.Delivered, local.Status);
        Assert.Equal("local", Encoding.UTF8.GetString((await carolClient.Messages.ReadAsync().AsTask().WaitAsync(Guard)).Payload.Span));

        // Across validators: node 0 forwards to node 1 (where presence gossip says bob is), bob acknowledges.
        var crossTask = aliceClient.SendAsync(bob.NodeId, "across"u8.ToArray());
        var across = await bobFirst.Messages.ReadAsync().AsTask().WaitAsync(Guard);
        Assert.Equal("across", Encoding.UTF8.GetString(across.Payload.Span));
        await bobFirst.AcknowledgeAsync([across.Key]).WaitAsync(Guard);
        Assert.Equal((byte)RouteStatus.Delivered, (await crossTask.WaitAsync(Guard)).Status);
        Assert.True(cluster.Nodes[0]!.AgentRouter!.Router.Counters.Forwarded >= 1);
        Assert.True(cluster.Nodes[1]!.AgentRouter!.Router.Counters.Delivered >= 1);

        // Bob receives a message but its node stops before bob acknowledges it.
        var pending = aliceClient.SendAsync(bob.NodeId, "once"u8.ToArray());
        var once = await bobFirst.Messages.ReadAsync().AsTask().WaitAsync(Guard);
        Assert.Equal("once", Encoding.UTF8.GetString(once.Payload.Span));
        await cluster.StopAsync(1);
        await bobFirst.Completion.WaitAsync(Guard);
        await bobFirst.DisposeAsync();
        Assert.False(pending.IsCompleted);

        // The node comes back, bob logs in again: node 0 still holds the message and delivers it again;
        // bob's client recognises it, acknowledges it and does not hand it over twice.
        await cluster.StartAsync(1);
        await using var bobSecond = await AgentClient.ConnectAsync(cluster.Nodes[1]!.LocalEndPoint!, bob, new AgentClientOptions { Received = bobWindow }).WaitAsync(Guard);
        var answer = await pending.WaitAsync(Guard);
        Assert.Equal((byte)RouteStatus.Delivered, answer.Status);
        Assert.Equal(1, bobSecond.DuplicatesDropped);
        Assert.False(bobSecond.Messages.TryRead(out _));
        Assert.Equal(2, bobWindow.Count);

        // And new traffic flows to the restarted node.
        var after = aliceClient.SendAsync(bob.NodeId, "after"u8.ToArray());
        Assert.Equal("after", Encoding.UTF8.GetString((await bobSecond.Messages.ReadAsync().AsTask().WaitAsync(Guard)).Payload.Span));
        Assert.Equal((byte)RouteStatus.Delivered, (await after.WaitAsync(Guard)).Status);
    }

    private static async Task RegisterAsync(LocalCluster cluster, KeyPair agent, string name)
    {
        var envelope = AgentTransactions.Register(agent, cluster.Genesis.ChainId, 1, name, ["test"]);
        var node = cluster.Nodes[0]!;
        Assert.Equal(SubmitStatus.Accepted, await node.SubmitAsync(envelope, CancellationToken.None).AsTask().WaitAsync(Guard));
        await Eventually.AssertAsync(() => node.Agents!.TryGet(agent.NodeId, out _), $"{name} is registered");
    }
}
