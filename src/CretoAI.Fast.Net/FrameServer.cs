using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net.Sockets;
using CretoAI.Fast.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CretoAI.Fast.Net;

/// <summary>
/// The listening side of the transport: accepts TCP connections, runs the authenticated handshake
/// on each, then serves frames (Ping itself, everything else through an <see cref="IRequestHandler"/>).
/// Enforces the connection, frame-size, in-flight and idle limits of <see cref="TransportOptions"/>,
/// and stops gracefully: no new connections, in-flight frames finished, then every session told
/// ShuttingDown and closed.
/// </summary>
public sealed class FrameServer : IAsyncDisposable
{
    private readonly TransportOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, (ServerConnection Connection, Task Run)> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task? _acceptLoop;
    private Timer? _idleTimer;
    private long _nextId;
    private int _stopped;

    public FrameServer(
        TransportOptions options,
        IMessageSigner signer,
        ISignatureVerifier verifier,
        IPeerAuthorizer? authorizer = null,
        IRequestHandler? handler = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Signer = signer ?? throw new ArgumentNullException(nameof(signer));
        Verifier = verifier ?? throw new ArgumentNullException(nameof(verifier));
        Authorizer = authorizer ?? PeerAuthorizers.AnyAuthenticated;
        Handler = handler;
        _logger = logger ?? NullLogger.Instance;
    }

    public TransportCounters Counters { get; } = new();

    public IPEndPoint? LocalEndPoint => _listener?.LocalEndPoint as IPEndPoint;

    public int ActiveConnections => _connections.Count;

    /// <summary>Sum of <see cref="ServerConnection.BytesHeld"/> over open connections.</summary>
    internal long BytesHeld
    {
        get
        {
            long held = 0;
            foreach (var (connection, _) in _connections.Values)
            {
                held += connection.BytesHeld;
            }

            return held;
        }
    }

    internal IMessageSigner Signer { get; }

    internal ISignatureVerifier Verifier { get; }

    internal IPeerAuthorizer Authorizer { get; }

    internal IRequestHandler? Handler { get; }

    /// <summary>Binds and starts accepting. Port 0 picks a free port; the bound endpoint is returned.</summary>
    public IPEndPoint Start(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (_listener is not null)
        {
            throw new InvalidOperationException("The server is already started.");
        }

        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            AllowQuickRestart(listener);
            listener.Bind(endpoint);
            listener.Listen(1024);
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            throw new InvalidOperationException($"Cannot listen on {endpoint}: {ex.Message} ({ex.SocketErrorCode}).", ex);
        }

        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener);
        _idleTimer = new Timer(_ => CheckIdle(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
        var bound = (IPEndPoint)listener.LocalEndPoint!;
        _logger.LogInformation("Listening on {Endpoint} for chain {Chain} as node {Node}", bound, _options.ChainId.ToShortString(), Signer.NodeId.ToShortString());
        return bound;
    }

    /// <summary>Stops accepting, lets sessions finish the frames they have, closes them, and waits (bounded by the shutdown timeout).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _logger.LogInformation("Stopping: {Count} connections open", _connections.Count);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        if (_idleTimer is not null)
        {
            await _idleTimer.DisposeAsync().ConfigureAwait(false);
        }

        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        foreach (var (connection, _) in _connections.Values)
        {
            connection.RequestClose(WireErrorCode.ShuttingDown);
        }

        var all = Task.WhenAll(_connections.Values.Select(c => c.Run));
        var deadline = Task.Delay(_options.ShutdownTimeout + TimeSpan.FromSeconds(1), cancellationToken);
        if (await Task.WhenAny(all, deadline).ConfigureAwait(false) != all)
        {
            _logger.LogWarning("Stopping: {Count} connections did not close in time; cutting them", _connections.Count);
            foreach (var (connection, _) in _connections.Values)
            {
                connection.Abort();
            }
        }

        _logger.LogInformation("Stopped");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
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
                // EMFILE and friends: log, back off a little, keep serving the connections we have.
                _logger.LogError("Accept failed: {Error} ({Code})", ex.Message, ex.SocketErrorCode);
                await Task.Delay(50).ConfigureAwait(false);
                continue;
            }

            if (_connections.Count >= _options.MaxConnections)
            {
                Reject(socket);
                continue;
            }

            var id = Interlocked.Increment(ref _nextId);
            var connection = new ServerConnection(id, new SocketPipe(socket, FrameEncoder.FrameLength(_options.MaxPayloadLength), _options.InlineScheduling, _options.NativeEventLoop, _options.BusyPollMicroseconds), this, _options, _logger);
            Counters.ConnectionAccepted();

            // Registered before it runs, so a connection that ends at once is still removed.
            _connections[id] = (connection, Task.CompletedTask);
            var run = RunConnectionAsync(connection);
            _connections.TryUpdate(id, (connection, run), (connection, Task.CompletedTask));
        }
    }

    private async Task RunConnectionAsync(ServerConnection connection)
    {
        await Task.Yield();
        try
        {
            await connection.RunAsync(_stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
            Counters.ConnectionClosed();
        }
    }

    /// <summary>
    /// Lets a restarted node bind its port while connections of the previous run are in TIME_WAIT.
    /// Only SO_REUSEADDR: .NET's ReuseAddress option also sets SO_REUSEPORT on Linux, which would
    /// let a second node bind the same port and silently share its connections.
    /// </summary>
    private static void AllowQuickRestart(Socket listener)
    {
        if (OperatingSystem.IsLinux())
        {
            const int SolSocket = 1;
            const int SoReuseAddr = 2;
            listener.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        }
    }

    private void Reject(Socket socket)
    {
        Counters.ConnectionRejected();
        Counters.Error(WireErrorCode.TooManyConnections);
        _logger.LogWarning("Refusing connection from {Remote}: {Count} connections open (limit {Limit})", socket.RemoteEndPoint, _connections.Count, _options.MaxConnections);
        try
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
            FrameEncoder.WriteError(buffer, 0, WireErrorCode.TooManyConnections, WireErrorCodes.Describe(WireErrorCode.TooManyConnections));
            socket.Blocking = false;
            socket.Send(buffer.WrittenSpan, SocketFlags.None, out _);
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // The peer is gone already.
        }
        finally
        {
            socket.Dispose();
        }
    }

    private void CheckIdle()
    {
        var now = Environment.TickCount64;
        foreach (var (connection, _) in _connections.Values)
        {
            connection.CheckIdle(now);
        }
    }
}
