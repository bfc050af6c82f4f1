using System.Net;
using System.Net.Sockets;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.LoadGen.Engine;
using CretoAI.Fast.Net;
using CretoAI.Fast.Wire;

namespace CretoAI.Fast.LoadGen.Modes;

/// <summary><c>ping</c>: framed Ping round trips to a cretoai-fast node, over authenticated (ML-DSA-87 handshake) sessions.</summary>
internal sealed class PingMode : NetworkLoadMode<FramedPingProtocol>
{
    private readonly IMessageSigner _signer = MLDsa87Signer.Generate();
    private readonly byte[] _payload;

    public PingMode(LoadPlan plan)
        : base(plan)
    {
        _payload = new byte[plan.PayloadBytes];
        Random.Shared.NextBytes(_payload);
    }

    public override string Name => "ping";

    protected override async Task<ConnectionDriver<FramedPingProtocol>> ConnectOneAsync(EndPoint target, CancellationToken cancellationToken)
    {
        var options = new ClientOptions
        {
            ChainId = Plan.ChainId,
            ConnectTimeout = Plan.ConnectTimeout,
            MaxPayloadLength = Math.Max(WireLimits.DefaultMaxPayloadLength, Plan.PayloadBytes),
        };
        try
        {
            var client = await FrameClient.ConnectAsync(target, options, _signer, MLDsa87SignatureVerifier.Instance, cancellationToken).ConfigureAwait(false);
            return new ConnectionDriver<FramedPingProtocol>(client.Input, client.Output, client, new FramedPingProtocol(client.Decoder, _payload));
        }
        catch (SocketException ex)
        {
            throw new LoadGenException($"cannot connect to {target}: {ex.Message} ({ex.SocketErrorCode})", ex);
        }
        catch (TimeoutException ex)
        {
            throw new LoadGenException($"{target} did not complete a CretoAI handshake within {Plan.ConnectTimeout.TotalSeconds:0.#} s; is it a cretoai-fast node? (for redis-server use --mode resp-ping)", ex);
        }
        catch (WireException ex)
        {
            throw new LoadGenException($"{target} is not a cretoai-fast node accepting us: handshake failed: {ex.Message} (for redis-server use --mode resp-ping)", ex);
        }
    }
}
