using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace CretoAI.Fast.Node.Hosting;

/// <summary>
/// The sd_notify(3) protocol without libsystemd: one datagram per state change ("READY=1",
/// "STOPPING=1", "WATCHDOG=1") to the Unix socket named by <c>$NOTIFY_SOCKET</c>; a name starting
/// with '@' is in the abstract namespace. Any service manager that sets the variable (systemd with
/// Type=notify, a container supervisor, a test) gets the messages; Microsoft.Extensions.Hosting.Systemd
/// only sends them when the parent process is systemd itself.
/// </summary>
internal sealed class SystemdNotifier : IDisposable
{
    private readonly Lock _gate = new();
    private readonly UnixDomainSocketEndPoint _endPoint;
    private Socket? _socket;

    private SystemdNotifier(string path, TimeSpan? watchdogInterval)
    {
        Path = path;
        _endPoint = new UnixDomainSocketEndPoint(path[0] == '@' ? string.Concat("\0", path.AsSpan(1)) : path);
        WatchdogInterval = watchdogInterval;
    }

    /// <summary>The socket as given in <c>$NOTIFY_SOCKET</c>.</summary>
    public string Path { get; }

    /// <summary>The watchdog timeout asked for (<c>$WATCHDOG_USEC</c>, for this process per <c>$WATCHDOG_PID</c>), or null.</summary>
    public TimeSpan? WatchdogInterval { get; private set; }

    /// <summary>Never ping, whatever the environment asks (the watchdog setting is off).</summary>
    public void DisableWatchdog() => WatchdogInterval = null;

    /// <summary>
    /// Reads <c>NOTIFY_SOCKET</c>, <c>WATCHDOG_USEC</c> and <c>WATCHDOG_PID</c>. Null when there is no
    /// service manager to notify; <paramref name="problem"/> says why a set variable was not usable.
    /// </summary>
    public static SystemdNotifier? FromEnvironment(out string? problem)
    {
        problem = null;
        var path = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        if (path[0] != '/' && path[0] != '@')
        {
            problem = $"NOTIFY_SOCKET '{path}' is not a Unix socket path (only '/path' and '@abstract' are supported); not notifying the service manager";
            return null;
        }

        return new SystemdNotifier(path, ReadWatchdog(ref problem));
    }

    private static TimeSpan? ReadWatchdog(ref string? problem)
    {
        var usecText = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        if (string.IsNullOrEmpty(usecText))
        {
            return null;
        }

        var pidText = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (!string.IsNullOrEmpty(pidText)
            && (!int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid != Environment.ProcessId))
        {
            // The watchdog belongs to another process (a wrapper that exec'd us would have passed it on).
            return null;
        }

        if (!ulong.TryParse(usecText, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec == 0)
        {
            problem = $"WATCHDOG_USEC '{usecText}' is not a positive number of microseconds; not pinging the watchdog";
            return null;
        }

        return TimeSpan.FromMicroseconds(Math.Min(usec, (ulong)TimeSpan.MaxValue.TotalMicroseconds / 2));
    }

    /// <summary>Sends one state message; returns the reason when it could not be sent (never throws).</summary>
    public string? Notify(string state)
    {
        var bytes = Encoding.UTF8.GetBytes(state);
        lock (_gate)
        {
            try
            {
                _socket ??= new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
                _socket.SendTo(bytes, SocketFlags.None, _endPoint);
                return null;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Start afresh next time: the manager may have recreated its socket.
                _socket?.Dispose();
                _socket = null;
                return $"notify '{state}' to {Path} failed: {ex.Message}";
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _socket?.Dispose();
            _socket = null;
        }
    }
}
