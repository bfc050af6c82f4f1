using System.Net;
using System.Net.Sockets;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net;
using CretoAI.Fast.Net.Tests.Infrastructure;

namespace CretoAI.Fast.Cli.Tests.Infrastructure;

/// <summary>A real <see cref="FrameServer"/> on loopback serving the client protocol from a <see cref="FakeNode"/>.</summary>
internal sealed class FakeNodeServer : IAsyncDisposable
{
    public static readonly Hash32 ChainId = Hash32.Parse("c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0");

    private static readonly IMessageSigner ServerKey = BouncyCastleMLDsa87.CreateSigner(Enumerable.Repeat((byte)0x42, 32).ToArray());

    private readonly FrameServer _server;

    private FakeNodeServer(FrameServer server, IPEndPoint endpoint, FakeNode node)
    {
        _server = server;
        Endpoint = endpoint;
        Node = node;
    }

    public IPEndPoint Endpoint { get; }

    public string Address => $"127.0.0.1:{Endpoint.Port}";

    public FakeNode Node { get; }

    public static FakeNodeServer Start(IPEndPoint? at = null, FakeNode? shared = null)
    {
        var node = shared ?? NewNode();
        var server = new FrameServer(new TransportOptions { ChainId = ChainId }, ServerKey, MLDsa87SignatureVerifier.Instance, handler: node);
        var endpoint = server.Start(at ?? new IPEndPoint(IPAddress.Loopback, 0));
        return new FakeNodeServer(server, endpoint, node);
    }

    /// <summary>A fake node on <see cref="ChainId"/>; several servers may share one, as validators share a chain.</summary>
    public static FakeNode NewNode() => new(ChainId, ServerKey.NodeId);

    /// <summary>A loopback port with nothing listening (bound, read, released).</summary>
    public static int ClosedPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public Task StopAsync() => _server.StopAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
