using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CretoAI.Fast.Net.Sockets;

/// <summary>
/// A receive event loop of our own on Linux (one per processor, connections spread in turn): its
/// thread blocks in <c>epoll_wait</c> on a level-triggered epoll set and, for each readable socket, makes exactly one <c>read</c> into
/// that connection's input pipe. .NET's <c>Socket.ReceiveAsync</c> instead first tries a
/// <c>recv</c> that fails with EAGAIN before it waits, so a request/reply round trip costs the
/// server four system calls there and three here (epoll_wait, read, send), as in redis-server.
/// Level triggering is what makes one read per wake-up safe: bytes left in the socket wake the
/// loop again. Every pipe operation of a receiver runs on this thread; other threads only post
/// work to it through <see cref="Post"/>.
/// <para>
/// After a wake-up from one connection whose receivers ask for it (<see cref="EpollReceiver.BusyPollTicks"/>,
/// from <see cref="TransportOptions.BusyPollMicroseconds"/>), the loop may poll with a zero timeout for a
/// short, adaptive window before it blocks again (<see cref="BusyPollPolicy"/>), so that a peer's next
/// request does not have to wake a halted CPU.
/// </para>
/// </summary>
internal sealed unsafe class EpollEventLoop
{
    private const int MaxEvents = 256;
    private const ulong WakeToken = 0;

    // One loop per processor, like .NET's socket engines with inline completions: a single
    // thread would serialize every connection's frame handling on one core.
    private static readonly Lazy<EpollEventLoop[]> Shared = new(CreateLoops, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _nextLoopIndex;

    private readonly int _epoll;
    private readonly int _wakeFd;
    private readonly ConcurrentDictionary<ulong, EpollReceiver> _receivers = new();
    private readonly ConcurrentQueue<EpollReceiver> _posted = new();
    private long _nextToken;
    private int _wakePending;
    private bool _busyPollRequested;

    private EpollEventLoop()
    {
        _epoll = LinuxSyscalls.EpollCreate1(LinuxSyscalls.EpollCloexec);
        if (_epoll < 0)
        {
            throw new InvalidOperationException($"epoll_create1 failed (errno {Marshal.GetLastPInvokeError()})");
        }

        _wakeFd = LinuxSyscalls.EventFd(0, LinuxSyscalls.EfdCloexec | LinuxSyscalls.EfdNonblock);
        if (_wakeFd < 0)
        {
            throw new InvalidOperationException($"eventfd failed (errno {Marshal.GetLastPInvokeError()})");
        }

        Control(LinuxSyscalls.EpollCtlAdd, _wakeFd, LinuxSyscalls.EpollIn, WakeToken);
        var thread = new Thread(Run) { IsBackground = true, Name = "cretoai-epoll" };
        thread.Start();
    }

    /// <summary>The loop for a new connection: the shared loops in turn.</summary>
    public static EpollEventLoop Next()
    {
        var loops = Shared.Value;
        return loops[(int)((uint)Interlocked.Increment(ref _nextLoopIndex) % (uint)loops.Length)];
    }

    private static EpollEventLoop[] CreateLoops()
    {
        var loops = new EpollEventLoop[Math.Max(1, Environment.ProcessorCount)];
        for (var i = 0; i < loops.Length; i++)
        {
            loops[i] = new EpollEventLoop();
        }

        return loops;
    }

    /// <summary>Adds a socket to the set; its events go to <paramref name="receiver"/>.</summary>
    public ulong Add(EpollReceiver receiver, int fd)
    {
        var token = (ulong)Interlocked.Increment(ref _nextToken);
        _receivers[token] = receiver;
        if (receiver.BusyPollTicks > 0)
        {
            Volatile.Write(ref _busyPollRequested, true);
        }

        if (Control(LinuxSyscalls.EpollCtlAdd, fd, ReadEvents, token) != 0)
        {
            _receivers.TryRemove(token, out _);
            throw new InvalidOperationException($"epoll_ctl(ADD) failed (errno {Marshal.GetLastPInvokeError()})");
        }

        return token;
    }

    /// <summary>Stops (<paramref name="wantRead"/> false) or restarts read events of a socket.</summary>
    public void SetInterest(int fd, ulong token, bool wantRead) =>
        Control(LinuxSyscalls.EpollCtlMod, fd, wantRead ? ReadEvents : 0, token);

    /// <summary>Removes a socket; its events already queued in this wake-up are ignored.</summary>
    public void Remove(int fd, ulong token)
    {
        _receivers.TryRemove(token, out _);
        if (fd >= 0)
        {
            Control(LinuxSyscalls.EpollCtlDel, fd, 0, token);
        }
    }

    /// <summary>Runs <see cref="EpollReceiver.OnPosted"/> on the loop thread soon.</summary>
    public void Post(EpollReceiver receiver)
    {
        _posted.Enqueue(receiver);
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            ulong one = 1;
            LinuxSyscalls.Write(_wakeFd, (byte*)&one, sizeof(ulong));
        }
    }

    private const uint ReadEvents = LinuxSyscalls.EpollIn | LinuxSyscalls.EpollRdHup;

    private int Control(int op, int fd, uint events, ulong token)
    {
        var ev = new LinuxSyscalls.EpollEvent { Events = events, Data = token };
        return LinuxSyscalls.EpollCtl(_epoll, op, fd, &ev);
    }

    private void Run()
    {
        var events = (LinuxSyscalls.EpollEvent*)NativeMemory.Alloc(MaxEvents, (nuint)sizeof(LinuxSyscalls.EpollEvent));
        var busyPoll = new BusyPollPolicy();
        while (true)
        {
            // Until a connection asks for polling, the loop costs nothing more than a blocking wait.
            var polls = Volatile.Read(ref _busyPollRequested);
            var timeout = polls ? busyPoll.NextTimeout(Stopwatch.GetTimestamp()) : -1;
            var count = LinuxSyscalls.EpollWait(_epoll, events, MaxEvents, timeout);
            if (count <= 0)
            {
                // 0: an empty poll. Below 0, EINTR: a signal; anything else cannot happen with
                // valid arguments, and retrying is still the only useful answer.
                continue;
            }

            var wokeAt = polls ? Stopwatch.GetTimestamp() : 0;
            var readable = 0;
            var budget = 0L;
            EpollReceiver? first = null;
            var oneConnection = true;
            for (var i = 0; i < count; i++)
            {
                var token = events[i].Data;
                if (token == WakeToken)
                {
                    DrainPosted();
                }
                else if (_receivers.TryGetValue(token, out var receiver))
                {
                    readable++;
                    budget = Math.Max(budget, receiver.BusyPollTicks);
                    first ??= receiver;
                    oneConnection &= ReferenceEquals(first, receiver);
                    receiver.OnReadable();
                }
            }

            if (polls)
            {
                busyPoll.AfterWait(wokeAt, Stopwatch.GetTimestamp(), readable, budget, oneConnection);
            }
        }
    }

    private void DrainPosted()
    {
        ulong value;
        LinuxSyscalls.Read(_wakeFd, (byte*)&value, sizeof(ulong));
        Volatile.Write(ref _wakePending, 0);
        while (_posted.TryDequeue(out var receiver))
        {
            receiver.OnPosted();
        }
    }
}
