using System.Net;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net;

namespace CretoAI.Fast.LoadGen.Tests.Infrastructure;

/// <summary>A cretoai-fast transport node in the test process, on a free loopback port, serving the devnet chain.</summary>
internal sealed class TestNode : IAsyncDisposable
{
    private readonly FrameServer _server;

    public TestNode()
    {
        _server = new FrameServer(new TransportOptions { ChainId = Sha3.Hash256("cretoai-fast/devnet"u8) }, Signer.Value, BouncyCastleMLDsa87.Instance);
        EndPoint = _server.Start(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public IPEndPoint EndPoint { get; }

    public string Target => $"127.0.0.1:{EndPoint.Port}";

    public TransportCounters Counters => _server.Counters;

    // One key pair for every test: generating ML-DSA keys is not what is being tested.
    private static Lazy<IMessageSigner> Signer { get; } = new(BouncyCastleMLDsa87.GenerateSigner);

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
