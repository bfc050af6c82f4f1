using CretoAI.Fast.Core;
using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Net;

/// <summary>
/// Every knob of the server side of the transport, with its default. <see cref="Validate"/> is
/// called at start-up and names the setting that is wrong.
/// </summary>
public sealed class TransportOptions
{
    /// <summary>The chain this endpoint serves; peers with another chain id are refused at the handshake.</summary>
    public Hash32 ChainId { get; set; }

    /// <summary>Most concurrent connections; one more is answered with TooManyConnections and closed. Default 10,000.</summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Largest accepted frame payload in bytes. Default 1 MiB, at most 16 MiB.</summary>
    public int MaxPayloadLength { get; set; } = WireLimits.DefaultMaxPayloadLength;

    /// <summary>Most requests per connection accepted but not yet answered. Default 1,024.</summary>
    public int MaxInFlightPerConnection { get; set; } = 1024;

    /// <summary>
    /// Most reply streams (subscriptions) open at once per connection; one more is refused with
    /// TooManyInFlight. Streams do not count against <see cref="MaxInFlightPerConnection"/>. Default 16.
    /// </summary>
    public int MaxStreamsPerConnection { get; set; } = 16;

    /// <summary>A session with no frame received for this long is closed with IdleTimeout. Default 5 minutes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Time a new connection has to complete the handshake. Default 10 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>On shutdown, time given to connections to finish in-flight frames before they are cut. Default 5 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Run pipe continuations on the thread that completed the I/O instead of queueing them to the
    /// thread pool: one thread hop fewer per read and per flush. Default on.
    /// </summary>
    public bool InlineScheduling { get; set; } = true;

    /// <summary>
    /// Receive on accepted connections through the transport's own level-triggered epoll loop
    /// (Linux x64, <c>EpollEventLoop</c>) instead of <c>Socket.ReceiveAsync</c>: a request/reply
    /// round trip then costs the server epoll_wait, read and send, as in redis-server, without
    /// the EAGAIN <c>recv</c> that ReceiveAsync makes before it waits. Measured less server CPU
    /// per round trip and more round trips at 32 connections (docs/benchmarks.md, Load harness).
    /// Ignored where unsupported. Default on, unless the environment variable
    /// <c>CRETOAI_FAST_NET_EVENT_LOOP</c> is <c>socket</c>.
    /// </summary>
    public bool NativeEventLoop { get; set; } = !string.Equals(Environment.GetEnvironmentVariable("CRETOAI_FAST_NET_EVENT_LOOP"), "socket", StringComparison.OrdinalIgnoreCase);

    /// <summary>Largest accepted <see cref="BusyPollMicroseconds"/>: 1 ms.</summary>
    public const int MaxBusyPollMicroseconds = 1000;

    /// <summary>
    /// With <see cref="NativeEventLoop"/>: the longest time, in microseconds, the receive loop keeps
    /// polling (<c>epoll_wait</c> with timeout 0) after handling requests of one connection before
    /// it blocks, so that the peer's next request finds the thread awake. The window adapts within
    /// this bound and is only used while requests keep coming within it (<c>BusyPollPolicy</c>);
    /// an idle server blocks. 0 turns it off. At most <see cref="MaxBusyPollMicroseconds"/>. Default
    /// <see cref="DefaultBusyPollMicroseconds"/> (off): on loopback the kernel runs a ping-pong client
    /// and server on one CPU (a socket wake-up pulls the woken thread to the waker's CPU), so a
    /// polling server only delays its client: at one connection on a 2-core VM, 0.63-0.92 of
    /// redis-server's rate against 0.97-1.04 without (docs/benchmarks.md, "Busy polling").
    /// </summary>
    public int BusyPollMicroseconds { get; set; } = DefaultBusyPollMicroseconds;

    /// <summary>Default of <see cref="BusyPollMicroseconds"/>: off (see there why).</summary>
    public const int DefaultBusyPollMicroseconds = 0;

    /// <summary>Throws <see cref="InvalidSettingException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (ChainId.IsZero)
        {
            throw new InvalidSettingException(nameof(ChainId), "must be set (32 bytes, not all zero).");
        }

        if (MaxConnections < 1)
        {
            throw new InvalidSettingException(nameof(MaxConnections), $"must be at least 1 (got {MaxConnections}).");
        }

        if (MaxPayloadLength < WireLimits.MaxHandshakePayloadLength || MaxPayloadLength > WireLimits.AbsoluteMaxPayloadLength)
        {
            throw new InvalidSettingException(nameof(MaxPayloadLength), $"must be between {WireLimits.MaxHandshakePayloadLength} (so handshake frames fit) and {WireLimits.AbsoluteMaxPayloadLength} bytes (got {MaxPayloadLength}).");
        }

        if (MaxInFlightPerConnection < 1)
        {
            throw new InvalidSettingException(nameof(MaxInFlightPerConnection), $"must be at least 1 (got {MaxInFlightPerConnection}).");
        }

        if (MaxStreamsPerConnection < 1)
        {
            throw new InvalidSettingException(nameof(MaxStreamsPerConnection), $"must be at least 1 (got {MaxStreamsPerConnection}).");
        }

        if (BusyPollMicroseconds is < 0 or > MaxBusyPollMicroseconds)
        {
            throw new InvalidSettingException(nameof(BusyPollMicroseconds), $"must be between 0 (off) and {MaxBusyPollMicroseconds} microseconds (got {BusyPollMicroseconds}).");
        }

        RequirePositive(IdleTimeout, nameof(IdleTimeout));
        RequirePositive(HandshakeTimeout, nameof(HandshakeTimeout));
        RequirePositive(ShutdownTimeout, nameof(ShutdownTimeout));
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
        {
            throw new InvalidSettingException(name, $"must be positive and under 24 days (got {value}).");
        }
    }
}
