using System.Buffers;

namespace CretoAI.Fast.LoadGen.Engine;

/// <summary>
/// How one request is written and one reply recognised, for protocols that answer requests on a
/// connection in the order they were sent (our framed Ping, RESP). The connection driver is generic
/// over a struct implementing this, so the JIT specialises it per protocol and the per-request
/// calls are direct: the very same driver code measures our transport and redis-server.
/// </summary>
internal interface IRequestProtocol
{
    /// <summary>Appends request number <paramref name="sequence"/> to <paramref name="output"/>.</summary>
    void WriteRequest(IBufferWriter<byte> output, uint sequence);

    /// <summary>
    /// Consumes one reply from the front of <paramref name="buffer"/> if a whole one is there; it
    /// must answer request <paramref name="expectedSequence"/>. Throws <see cref="LoadGenException"/>
    /// when the bytes are not this protocol at all (wrong service on the port).
    /// </summary>
    ReplyStatus TryReadReply(ref ReadOnlySequence<byte> buffer, uint expectedSequence);
}
