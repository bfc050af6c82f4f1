using System.Buffers;
using System.Collections.Concurrent;
using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Net.Tests.Infrastructure;

/// <summary>Application message types used by the tests' handlers.</summary>
internal static class TestMessages
{
    /// <summary>Answered by <see cref="WhoAmIHandler"/> with the caller's node id.</summary>
    public const MessageType WhoAmI = (MessageType)0x0200;

    /// <summary>Accepted by <see cref="DeferringHandler"/> for a later answer.</summary>
    public const MessageType Slow = (MessageType)0x0100;

    /// <summary>The answer to <see cref="Slow"/>.</summary>
    public const MessageType SlowReply = (MessageType)0x0101;
}

/// <summary>Answers <see cref="TestMessages.WhoAmI"/> with the 32-byte id the handshake proved, and remembers the peer.</summary>
internal sealed class WhoAmIHandler : IRequestHandler
{
    public PeerInfo? LastPeer { get; private set; }

    public bool TryHandle(RequestContext context, in Frame frame)
    {
        if (frame.Type != TestMessages.WhoAmI)
        {
            return false;
        }

        LastPeer = context.Peer;
        context.Reply(TestMessages.WhoAmI, frame.CorrelationId, context.Peer.Id.ToArray());
        return true;
    }
}

/// <summary>
/// Defers every <see cref="TestMessages.Slow"/> request and queues it for the test, which
/// completes it (or not) from its own thread.
/// </summary>
internal sealed class DeferringHandler : IRequestHandler
{
    public ConcurrentQueue<(RequestContext Context, DeferredReply Reply, byte[] Payload)> Deferred { get; } = new();

    public int Refused => Volatile.Read(ref _refused);

    private int _refused;

    public bool TryHandle(RequestContext context, in Frame frame)
    {
        if (frame.Type != TestMessages.Slow)
        {
            return false;
        }

        if (context.TryDefer(frame.CorrelationId, out var reply))
        {
            Deferred.Enqueue((context, reply, frame.Payload.ToArray()));
        }
        else
        {
            Interlocked.Increment(ref _refused);
        }

        return true;
    }
}

/// <summary>Defers every <see cref="TestMessages.Slow"/> request and answers it from the thread pool with its payload.</summary>
internal sealed class BackgroundEchoHandler : IRequestHandler
{
    public bool TryHandle(RequestContext context, in Frame frame)
    {
        if (frame.Type != TestMessages.Slow)
        {
            return false;
        }

        if (context.TryDefer(frame.CorrelationId, out var reply))
        {
            var payload = frame.Payload.ToArray();
            _ = Task.Run(async () => await context.CompleteAsync(reply, TestMessages.SlowReply, payload));
        }

        return true;
    }
}
