using System.Net;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Net;
using CretoAI.Fast.Node.Routing;
using CretoAI.Fast.Routing.Router;
using CretoAI.Fast.Wire;
using Microsoft.Extensions.Logging.Abstractions;

namespace CretoAI.Fast.Node.Tests.Routing;

/// <summary>One node's agent router on a real loopback socket (a FrameServer serving only the agent gateway), without consensus.</summary>
internal sealed class RouterHost : IAsyncDisposable
{
    private static int _seed;

    private RouterHost(FrameServer server, AgentGateway gateway, KeyPair identity, IPEndPoint endpoint)
    {
        Server = server;
        Gateway = gateway;
        Identity = identity;
        EndPoint = endpoint;
    }

    public static Hash32 Chain { get; } = Sha3.Hash256("router-test-chain"u8);

    public FrameServer Server { get; }

    public AgentGateway Gateway { get; }

    public KeyPair Identity { get; }

    public IPEndPoint EndPoint { get; }

    public MessageRouter Router => Gateway.Router;

    public static RouterHost Start(IAgentDirectory directory, RouterSettings? settings = null, int maxConnections = 1_000, int port = 0)
    {
        var identity = KeyPair.FromSeed(Enumerable.Repeat((byte)0x77, 32).ToArray());
        var gateway = new AgentGateway(settings ?? new RouterSettings(), directory, Chain, identity.NodeId, 0, 1, null, NullLogger.Instance);
        var server = new FrameServer(
            new TransportOptions { ChainId = Chain, MaxConnections = maxConnections, IdleTimeout = TimeSpan.FromMinutes(10), HandshakeTimeout = TimeSpan.FromSeconds(120) },
            identity,
            MLDsa87SignatureVerifier.Instance,
            handler: new Handler(gateway),
            logger: NullLogger.Instance);
        var endpoint = server.Start(new IPEndPoint(IPAddress.Loopback, port));
        gateway.Start();
        return new RouterHost(server, gateway, identity, endpoint);
    }

    /// <summary>A new agent key, distinct per call in this process.</summary>
    public static KeyPair NewAgent()
    {
        var seed = new byte[32];
        BitConverter.TryWriteBytes(seed, Interlocked.Increment(ref _seed));
        seed[31] = 0xA6;
        return KeyPair.FromSeed(seed);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Gateway.DisposeAsync();
        Identity.Dispose();
    }

    private sealed class Handler(AgentGateway gateway) : IRequestHandler
    {
        public bool TryHandle(RequestContext context, in Frame frame) => gateway.TryHandleClient(context, frame);
    }
}
