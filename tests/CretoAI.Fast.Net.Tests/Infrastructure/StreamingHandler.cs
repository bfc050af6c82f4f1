using System.Collections.Concurrent;
using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Net.Tests.Infrastructure;

/// <summary>Opens a reply stream for every <see cref="MessageType.Subscribe"/> and hands it to the test, which pushes on it from its own thread.</summary>
internal sealed class StreamingHandler : IRequestHandler
{
    public ConcurrentQueue<ReplyStream> Opened { get; } = new();

    public int Refused => Volatile.Read(ref _refused);

    private int _refused;

    public bool TryHandle(RequestContext context, in Frame frame)
    {
        if (frame.Type != MessageType.Subscribe)
        {
            return false;
        }

        if (context.TryOpenStream(frame.CorrelationId, out var stream))
        {
            Opened.Enqueue(stream!);
        }
        else
        {
            Interlocked.Increment(ref _refused);
        }

        return true;
    }
}
