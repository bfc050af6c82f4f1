using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Net;
using CretoAI.Fast.Net.Client;
using CretoAI.Fast.Node.Routing;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Routing.Router;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Handshake;
using CretoAI.Fast.Wire.Routing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CretoAI.Fast.Benchmarks.Routing;

/// <summary>
/// Routed messages per second and routing latency through real loopback sockets:
/// <c>dotnet run -c Release --project perf/CretoAI.Fast.Benchmarks -- routing [pairs] [messages per pair] [window]</c>.
/// Same node: senders and receivers on one node. Cross node: senders on node 0, receivers on node 1,
/// the two nodes linked by one validator connection each way. Sends are signed before the clock starts
/// (the agents' signing is theirs, not the router's); the node verifies every signature. Latency is
/// the sender's: from writing the send to reading its Delivered answer (the recipient acknowledged).
/// </summary>
public static class RoutingLoad
{
    private static readonly Hash32 Chain = Sha3.Hash256("routing-load"u8);

    public static async Task RunAsync(string[] args)
    {
        var pairs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 16;
        var perPair = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        var window = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
        Console.WriteLine($"{pairs} sender/receiver pairs, {perPair} messages each (64-byte payloads), {window} in flight per sender, {Environment.ProcessorCount} cores");
        await RunOnceAsync("same node", pairs, perPair, window, crossNode: false).ConfigureAwait(false);
        await RunOnceAsync("cross node", pairs, perPair, window, crossNode: true).ConfigureAwait(false);
    }

    private static async Task RunOnceAsync(string name, int pairs, int perPair, int window, bool crossNode)
    {
        var directory = new Directory();
        var senders = new KeyPair[pairs];
        var receivers = new KeyPair[pairs];
        for (var i = 0; i < pairs; i++)
        {
            senders[i] = KeyPair.FromSeed(Seed(1, i));
            receivers[i] = KeyPair.FromSeed(Seed(2, i));
            directory.Add(senders[i].NodeId);
            directory.Add(receivers[i].NodeId);
        }

        await using var node0 = Node.Start(0, crossNode ? 2 : 1, directory);
        await using var node1 = crossNode ? Node.Start(1, 2, directory) : null;
        if (node1 is not null)
        {
            await node0.LinkToAsync(node1).ConfigureAwait(false);
            await node1.LinkToAsync(node0).ConfigureAwait(false);
        }

        var senderClients = new AgentClient[pairs];
        var receiverClients = new AgentClient[pairs];
        for (var i = 0; i < pairs; i++)
        {
            senderClients[i] = await AgentClient.ConnectAsync(node0.EndPoint, senders[i]).ConfigureAwait(false);
            receiverClients[i] = await AgentClient.ConnectAsync((node1 ?? node0).EndPoint, receivers[i]).ConfigureAwait(false);
        }

        if (node1 is not null)
        {
            while (node0.Gateway.Router.KnownRemoteAgents < pairs)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }

        // Sign everything first.
        var sends = new byte[pairs][][];
        Parallel.For(0, pairs, i =>
        {
            sends[i] = new byte[perPair][];
            for (var m = 0; m < perPair; m++)
            {
                sends[i][m] = RouteEnvelope.BuildSend(senders[i], Chain, (ulong)m + 1, RouteSendLayout.KindAgent, receivers[i].NodeId, new byte[64]);
            }
        });

        var drains = receiverClients.Select(DrainAsync).ToArray();
        var latencies = new ConcurrentBag<double>();
        var refused = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, pairs).Select(async i =>
        {
            using var slots = new SemaphoreSlim(window);
            var inFlight = new List<Task>();
            foreach (var send in sends[i])
            {
                await slots.WaitAsync().ConfigureAwait(false);
                inFlight.Add(Task.Run(async () =>
                {
                    var start = Stopwatch.GetTimestamp();
                    var result = await senderClients[i].SendRawAsync(send).ConfigureAwait(false);
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    if (result.Status != (byte)RouteStatus.Delivered)
                    {
                        Interlocked.Increment(ref refused);
                    }

                    slots.Release();
                }));
            }

            await Task.WhenAll(inFlight).ConfigureAwait(false);
        })).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        var sorted = latencies.Order().ToArray();
        var total = pairs * perPair;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {total} messages in {elapsed.TotalSeconds:F2} s = {total / elapsed.TotalSeconds:N0} routed/s; latency p50 {sorted[sorted.Length / 2]:F2} ms, p99 {sorted[(int)(sorted.Length * 0.99)]:F2} ms, max {sorted[^1]:F2} ms; {refused} refused; forwarded {node0.Gateway.Router.Counters.Forwarded}"));
        foreach (var client in senderClients.Concat(receiverClients))
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(drains).ConfigureAwait(false);
    }

    private static async Task DrainAsync(AgentClient client)
    {
        await foreach (var _ in client.Messages.ReadAllAsync().ConfigureAwait(false))
        {
        }
    }

    private static byte[] Seed(int kind, int index)
    {
        var seed = new byte[32];
        seed[0] = (byte)kind;
        BitConverter.TryWriteBytes(seed.AsSpan(1), index);
        seed[31] = 0x3C;
        return seed;
    }

    private sealed class Directory : IAgentDirectory
    {
        private readonly ConcurrentDictionary<Hash32, AgentStanding> _agents = new();

        public long Version => 1;

        public void Add(Hash32 agent) => _agents[agent] = new AgentStanding(AgentStatus.Active, 1_000_000, []);

        public bool TryGetStanding(Hash32 agentId, out AgentStanding standing) => _agents.TryGetValue(agentId, out standing);
    }

    /// <summary>One routing node: a FrameServer with the agent gateway, and an outgoing validator link to the other node.</summary>
    private sealed class Node : IAsyncDisposable, IRouteLinks, IRequestHandler
    {
        private readonly FrameServer _server;
        private readonly KeyPair _identity;
        private readonly SemaphoreSlim _linkLock = new(1, 1);
        private readonly int _index;
        private FrameClient? _link;

        private Node(int index, int count, IAgentDirectory directory)
        {
            _index = index;
            _identity = KeyPair.FromSeed(Seed(9, index));
            var settings = new RouterSettings { RateMinPerSecond = 1_000_000, RateMaxPerSecond = 1_000_000, FanOutCost = 1, RedeliverAfterMs = 30_000 };
            Gateway = new AgentGateway(settings, directory, Chain, _identity.NodeId, index, count, this, NullLogger.Instance);
            _server = new FrameServer(new TransportOptions { ChainId = Chain }, _identity, MLDsa87SignatureVerifier.Instance, handler: this, logger: NullLogger.Instance);
            EndPoint = _server.Start(new IPEndPoint(IPAddress.Loopback, 0));
            Gateway.Start();
        }

        public AgentGateway Gateway { get; }

        public IPEndPoint EndPoint { get; }

        public static Node Start(int index, int count, IAgentDirectory directory) => new(index, count, directory);

        public async Task LinkToAsync(Node other) =>
            _link = await FrameClient.ConnectAsync(other.EndPoint, new ClientOptions { ChainId = Chain, Role = PeerRole.Validator }, _identity, MLDsa87SignatureVerifier.Instance).ConfigureAwait(false);

        public bool TryHandle(RequestContext context, in Frame frame) =>
            context.Peer.Role == PeerRole.Validator ? Gateway.TryHandleValidator(1 - _index, context, frame) : Gateway.TryHandleClient(context, frame);

        public bool Send(int node, MessageType type, byte[] payload)
        {
            if (_link is not { } link)
            {
                return false;
            }

            _ = WriteAsync(link, type, payload);
            return true;
        }

        public async ValueTask DisposeAsync()
        {
            await _server.DisposeAsync().ConfigureAwait(false);
            await Gateway.DisposeAsync().ConfigureAwait(false);
            if (_link is not null)
            {
                await _link.DisposeAsync().ConfigureAwait(false);
            }

            _identity.Dispose();
        }

        private async Task WriteAsync(FrameClient link, MessageType type, byte[] payload)
        {
            await _linkLock.WaitAsync().ConfigureAwait(false);
            try
            {
                FrameEncoder.Write(link.Output, type, FrameFlags.None, 0, payload);
                await link.Output.FlushAsync().ConfigureAwait(false);
            }
            finally
            {
                _linkLock.Release();
            }
        }
    }
}
