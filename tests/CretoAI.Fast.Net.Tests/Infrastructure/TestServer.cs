using System.Net;
using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Net.Tests.Infrastructure;

/// <summary>Starts <see cref="FrameServer"/>s on 127.0.0.1 with a free port, and connects clients to them.</summary>
internal static class TestServer
{
    public static TransportOptions Options(Action<TransportOptions>? configure = null)
    {
        var options = new TransportOptions { ChainId = TestKeys.ChainId };
        configure?.Invoke(options);
        return options;
    }

    public static (FrameServer Server, IPEndPoint Endpoint) Start(
        TransportOptions? options = null,
        IRequestHandler? handler = null,
        IPeerAuthorizer? authorizer = null)
    {
        var server = new FrameServer(options ?? Options(), TestKeys.Server, TestKeys.Verifier, authorizer, handler);
        var endpoint = server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        return (server, endpoint);
    }

    public static ClientOptions ClientOptions(Action<ClientOptions>? configure = null)
    {
        var options = new ClientOptions { ChainId = TestKeys.ChainId, ConnectTimeout = Eventually.Deadline };
        configure?.Invoke(options);
        return options;
    }

    public static Task<FrameClient> ConnectAsync(IPEndPoint endpoint, ClientOptions? options = null, Crypto.IMessageSigner? signer = null) =>
        FrameClient.ConnectAsync(endpoint, options ?? ClientOptions(), signer ?? TestKeys.Client, TestKeys.Verifier);

    /// <summary>Connects a fresh good client and checks that a ping round-trips: the server still serves.</summary>
    public static async Task AssertServesAsync(IPEndPoint endpoint)
    {
        await using var client = await ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();
        var payload = FrameIo.Pattern(64, 7);
        var echoed = await client.PingAsync(payload, timeout.Token);
        Xunit.Assert.Equal(payload, echoed);
    }

    /// <summary>Sends raw bytes on an authenticated client's connection, bypassing the encoder.</summary>
    public static async Task SendRawAsync(FrameClient client, ReadOnlyMemory<byte> bytes)
    {
        await client.Output.WriteAsync(bytes);
    }

    /// <summary>Writes one frame on a client's output and flushes it.</summary>
    public static async Task SendFrameAsync(FrameClient client, MessageType type, uint correlationId, ReadOnlyMemory<byte> payload)
    {
        FrameEncoder.Write(client.Output, type, FrameFlags.None, correlationId, payload.Span);
        await client.Output.FlushAsync();
    }
}
