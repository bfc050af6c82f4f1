using System.Net.Sockets;
using System.Text;

namespace CretoAI.Fast.Node.Tests.Infrastructure;

/// <summary>
/// Plays the service manager's side of sd_notify: a Unix datagram socket (a file, or a name in the
/// abstract namespace) whose name goes into NOTIFY_SOCKET, and the messages received on it.
/// </summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket;
    private readonly string? _file;

    public NotifySocket(bool isAbstract = false)
    {
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        var unique = Guid.NewGuid().ToString("N")[..16];
        if (isAbstract)
        {
            Name = "@cretoai-notify-" + unique;
            _socket.Bind(new UnixDomainSocketEndPoint("\0cretoai-notify-" + unique));
        }
        else
        {
            _file = Path.Combine(Path.GetTempPath(), "cretoai-notify-" + unique + ".sock");
            Name = _file;
            _socket.Bind(new UnixDomainSocketEndPoint(_file));
        }
    }

    /// <summary>The value for NOTIFY_SOCKET.</summary>
    public string Name { get; }

    /// <summary>The next message, or null if none arrives within <paramref name="timeout"/>.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            var length = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Receives until <paramref name="expected"/> arrives; returns every message before it.</summary>
    public async Task<List<string>> ReceiveUntilAsync(string expected, TimeSpan timeout)
    {
        var seen = new List<string>();
        var end = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = end - DateTime.UtcNow;
            var message = left > TimeSpan.Zero ? await ReceiveAsync(left) : null;
            if (message is null)
            {
                Assert.Fail($"'{expected}' did not arrive within {timeout.TotalSeconds} s; received: [{string.Join(", ", seen)}]");
            }

            if (message == expected)
            {
                return seen;
            }

            seen.Add(message!);
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        if (_file is not null)
        {
            File.Delete(_file);
        }
    }
}
