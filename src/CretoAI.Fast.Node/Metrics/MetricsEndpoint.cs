using System.Net;
using System.Net.Sockets;
using System.Text;
using CretoAI.Fast.Node.Settings;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Metrics;

/// <summary>
/// Serves <c>GET /metrics</c> in the Prometheus text format on one TCP address, with a minimal
/// HTTP/1.1 responder on a raw socket: prometheus-net's own servers need either ASP.NET Core (a
/// whole web framework in the daemon) or HttpListener, and this is smaller than both, has no
/// reflection, and bounds everything a scraper can make it do: one request per connection, a request
/// head of at most <see cref="MaxRequestBytes"/> read within <see cref="RequestTimeout"/>, at most
/// <see cref="MaxConnections"/> connections served at once (more are closed at accept).
/// </summary>
public sealed class MetricsEndpoint : IAsyncDisposable
{
    /// <summary>Largest request head accepted (request line and headers); a larger one gets 431.</summary>
    public const int MaxRequestBytes = 8 * 1024;

    /// <summary>Connections served at once; further ones are closed without an answer.</summary>
    public const int MaxConnections = 16;

    /// <summary>Time a client has to send its request head.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private const int MaxLingerBytes = 64 * 1024;

    private static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(1);

    private static readonly byte[] HeadTerminator = "\r\n\r\n"u8.ToArray();

    private readonly PrometheusReplicaObserver _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _connections = [];
    private Socket? _listener;
    private Task? _acceptLoop;

    /// <param name="metrics">The metrics to serve.</param>
    /// <param name="endPoint">Where to listen: <see cref="NodeSettings.GetMetricsEndPoint"/> (port 0 picks a free one).</param>
    /// <param name="logger">Where accept and serve failures are reported.</param>
    public MetricsEndpoint(PrometheusReplicaObserver metrics, IPEndPoint endPoint, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(logger);
        _metrics = metrics;
        EndPoint = endPoint;
        _logger = logger;
    }

    /// <summary>The address requested; with port 0, <see cref="LocalEndPoint"/> has the port chosen.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The address bound, once <see cref="Start"/> has returned.</summary>
    public IPEndPoint? LocalEndPoint => _listener?.LocalEndPoint as IPEndPoint;

    /// <summary>Binds and starts serving.</summary>
    /// <exception cref="IOException">The address cannot be bound; the message says which and why, in one line.</exception>
    public void Start()
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("The metrics endpoint is already started.");
        }

        var listener = new Socket(EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // [::] means every interface, IPv4 included.
            if (EndPoint.Address.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            listener.Bind(EndPoint);
            listener.Listen(MaxConnections);
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            var reason = ex.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => "address already in use",
                SocketError.AddressNotAvailable => "address not available on this machine",
                SocketError.AccessDenied => "permission denied",
                _ => ex.Message,
            };
            throw new IOException($"metrics_listen {EndPoint}: {reason}", ex);
        }

        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener, _stopping.Token);
    }

    /// <summary>Stops accepting, waits (briefly) for scrapes in progress, and closes the socket.</summary>
    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        Task[] inFlight;
        lock (_gate)
        {
            inFlight = [.. _connections];
        }

        // Each connection is bounded by the request timeout and a cancelled token; do not wait longer than that.
        await Task.WhenAll(inFlight).WaitAsync(RequestTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                if (stopping.IsCancellationRequested)
                {
                    return;
                }

                // Out of descriptors, say: log, back off a little, keep serving.
                _logger.LogWarning("metrics endpoint: accept failed: {Reason}", ex.Message);
                await Task.Delay(100, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            lock (_gate)
            {
                if (_connections.Count >= MaxConnections)
                {
                    client.Dispose();
                    continue;
                }

                var serve = ServeAsync(client, stopping);
                _connections.Add(serve);
                _ = serve.ContinueWith(ForgetConnection, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private static void ForgetConnection(Task serve, object? state)
    {
        var endpoint = (MetricsEndpoint)state!;
        lock (endpoint._gate)
        {
            endpoint._connections.Remove(serve);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stopping)
    {
        // Run the rest off the accept loop.
        await Task.Yield();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(RequestTimeout);
            await using var stream = new NetworkStream(client, ownsSocket: true);
            var buffer = new byte[MaxRequestBytes];
            var length = 0;
            var headEnd = -1;
            while (headEnd < 0)
            {
                if (length == buffer.Length)
                {
                    await WriteAsync(stream, 431, "Request Header Fields Too Large", body: null, includeBody: true, timeout.Token).ConfigureAwait(false);
                    return;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), timeout.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                // Search from a little before the new bytes: the terminator may straddle two reads.
                var from = Math.Max(0, length - (HeadTerminator.Length - 1));
                length += read;
                var at = buffer.AsSpan(from, length - from).IndexOf(HeadTerminator);
                headEnd = at < 0 ? -1 : from + at;
            }

            var (status, reason, isHead) = Route(buffer.AsSpan(0, headEnd));
            if (status != 200)
            {
                await WriteAsync(stream, status, reason, body: null, includeBody: !isHead, timeout.Token).ConfigureAwait(false);
                return;
            }

            using var body = new MemoryStream();
            await _metrics.WriteTextAsync(body, stopping).ConfigureAwait(false);
            await WriteAsync(stream, 200, "OK", body, includeBody: !isHead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Timed out or stopping: the connection is closed without an answer.
        }
        catch (IOException)
        {
            // The scraper went away.
        }
        catch (SocketException)
        {
        }
        catch (Exception ex)
        {
            _logger.LogWarning("metrics endpoint: scrape failed: {Reason}", ex.Message);
        }
        finally
        {
            client.Dispose();
        }
    }

    private static (int Status, string Reason, bool IsHead) Route(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var line = lineEnd < 0 ? head : head[..lineEnd];
        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0)
        {
            return (400, "Bad Request", false);
        }

        var method = line[..firstSpace];
        var rest = line[(firstSpace + 1)..];
        var secondSpace = rest.IndexOf((byte)' ');
        if (secondSpace <= 0 || !rest[(secondSpace + 1)..].StartsWith("HTTP/1."u8))
        {
            return (400, "Bad Request", false);
        }

        var target = rest[..secondSpace];
        var query = target.IndexOf((byte)'?');
        var path = query < 0 ? target : target[..query];
        var isGet = method.SequenceEqual("GET"u8);
        var isHead = method.SequenceEqual("HEAD"u8);
        if (!path.SequenceEqual("/metrics"u8))
        {
            return (404, "Not Found", isHead);
        }

        if (!isGet && !isHead)
        {
            return (405, "Method Not Allowed", false);
        }

        return (200, "OK", isHead);
    }

    private static async Task WriteAsync(NetworkStream stream, int status, string reason, MemoryStream? body, bool includeBody, CancellationToken cancellationToken)
    {
        var contentType = body is null ? "text/plain; charset=utf-8" : "text/plain; version=0.0.4; charset=utf-8";
        var text = body is null ? Encoding.UTF8.GetBytes($"{status} {reason}\n") : null;
        var contentLength = body?.Length ?? text!.Length;
        var extra = status == 405 ? "Allow: GET, HEAD\r\n" : "";
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {contentLength}\r\n{extra}Connection: close\r\n\r\n");
        await stream.WriteAsync(head, cancellationToken).ConfigureAwait(false);
        if (includeBody)
        {
            if (body is not null)
            {
                await stream.WriteAsync(body.GetBuffer().AsMemory(0, (int)body.Length), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await stream.WriteAsync(text, cancellationToken).ConfigureAwait(false);
            }
        }

        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        // Half-close, then read what the client still sends (a request larger than we accept, say)
        // until it closes: closing with unread input makes the kernel send a reset, and a reset can
        // destroy the answer before the client has read it. Bounded in bytes and time.
        stream.Socket.Shutdown(SocketShutdown.Send);
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linger.CancelAfter(LingerTimeout);
        var discard = new byte[4096];
        var drained = 0;
        while (drained < MaxLingerBytes)
        {
            var read = await stream.ReadAsync(discard, linger.Token).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            drained += read;
        }
    }
}
