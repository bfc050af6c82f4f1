using System.Net;
using System.Net.Sockets;

namespace CretoAI.Fast.LoadGen.Tests.Infrastructure;

/// <summary>
/// A tiny loopback server for tests: every accepted connection is handed to <c>serve</c>. Used as a
/// RESP PING server (so resp-ping can be tested without redis-server) and as an HTTP-like port.
/// </summary>
internal sealed class FakeServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private FakeServer(Func<NetworkStream, CancellationToken, Task> serve)
    {
        _listener.Start();
        _accepting = AcceptAsync(serve);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public string Target => $"127.0.0.1:{EndPoint.Port}";

    /// <summary>Answers every 14-byte RESP <c>*1\r\n$4\r\nPING\r\n</c> with <c>+PONG\r\n</c>, in order.</summary>
    public static FakeServer Resp() => new(async (stream, ct) =>
    {
        var buffer = new byte[64 * 1024];
        var pong = "+PONG\r\n"u8.ToArray();
        var pending = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer, ct);
            if (read == 0)
            {
                return;
            }

            pending += read;
            var replies = pending / 14;
            pending %= 14;
            if (replies > 0)
            {
                var output = new byte[replies * pong.Length];
                for (var i = 0; i < replies; i++)
                {
                    pong.CopyTo(output, i * pong.Length);
                }

                await stream.WriteAsync(output, ct);
            }
        }
    });

    /// <summary>Reads a little, answers like an HTTP server refusing a bad request, closes.</summary>
    public static FakeServer Http() => new(async (stream, ct) =>
    {
        var buffer = new byte[4096];
        _ = await stream.ReadAsync(buffer, ct);
        await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), ct);
    });

    /// <summary>A port where nothing listens (bound, then released).</summary>
    public static string ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"127.0.0.1:{port}";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(Func<NetworkStream, CancellationToken, Task> serve)
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        client.NoDelay = true;
                        await serve(client.GetStream(), _stop.Token);
                    }
                    catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
                    {
                        // The client went away.
                    }
                }
            });
        }
    }
}
