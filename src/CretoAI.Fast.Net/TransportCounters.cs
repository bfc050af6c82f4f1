using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Net;

/// <summary>
/// Monotonic transport counters, updated with interlocked adds (per read batch, not per frame, on
/// the hot path) and read by the metrics exporter. Error counts are kept per
/// <see cref="WireErrorCode"/>: a bounded label set.
/// </summary>
public sealed class TransportCounters
{
    private const int ErrorSlots = 300;
    private readonly long[] _errors = new long[ErrorSlots];
    private long _connectionsAccepted;
    private long _connectionsRejected;
    private long _connectionsActive;
    private long _handshakesFailed;
    private long _framesReceived;
    private long _framesSent;
    private long _bytesReceived;
    private long _bytesSent;

    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

    public long ConnectionsRejected => Interlocked.Read(ref _connectionsRejected);

    public long ConnectionsActive => Interlocked.Read(ref _connectionsActive);

    public long HandshakesFailed => Interlocked.Read(ref _handshakesFailed);

    public long FramesReceived => Interlocked.Read(ref _framesReceived);

    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Bytes of session frames consumed by the decoder (handshake bytes are not counted).</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Bytes of session frames handed to the socket writer (handshake bytes are not counted).</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Errors reported to peers (or by the codec) with this code.</summary>
    public long Errors(WireErrorCode code) => (ushort)code < ErrorSlots ? Interlocked.Read(ref _errors[(ushort)code]) : 0;

    internal void ConnectionAccepted()
    {
        Interlocked.Increment(ref _connectionsAccepted);
        Interlocked.Increment(ref _connectionsActive);
    }

    internal void ConnectionClosed() => Interlocked.Decrement(ref _connectionsActive);

    internal void ConnectionRejected() => Interlocked.Increment(ref _connectionsRejected);

    internal void HandshakeFailed() => Interlocked.Increment(ref _handshakesFailed);

    internal void AddFrames(long received, long sent)
    {
        if (received != 0)
        {
            Interlocked.Add(ref _framesReceived, received);
        }

        if (sent != 0)
        {
            Interlocked.Add(ref _framesSent, sent);
        }
    }

    internal void AddBytes(long received, long sent)
    {
        if (received != 0)
        {
            Interlocked.Add(ref _bytesReceived, received);
        }

        if (sent != 0)
        {
            Interlocked.Add(ref _bytesSent, sent);
        }
    }

    internal void Error(WireErrorCode code)
    {
        if ((ushort)code < ErrorSlots)
        {
            Interlocked.Increment(ref _errors[(ushort)code]);
        }
    }
}
