using System.Buffers;
using CretoAI.Fast.Wire;

namespace CretoAI.Fast.LoadGen.Engine;

/// <summary>CretoAI framed Ping/Pong: the correlation id is the request's sequence number.</summary>
internal readonly struct FramedPingProtocol : IRequestProtocol
{
    private readonly FrameDecoder _decoder;
    private readonly byte[] _payload;

    public FramedPingProtocol(FrameDecoder decoder, byte[] payload)
    {
        _decoder = decoder;
        _payload = payload;
    }

    public void WriteRequest(IBufferWriter<byte> output, uint sequence) =>
        FrameEncoder.Write(output, MessageType.Ping, FrameFlags.None, sequence, _payload);

    public ReplyStatus TryReadReply(ref ReadOnlySequence<byte> buffer, uint expectedSequence)
    {
        var status = _decoder.TryDecode(ref buffer, out var frame, out var error);
        if (status == DecodeStatus.NeedMoreData)
        {
            return ReplyStatus.NeedMoreData;
        }

        if (status == DecodeStatus.Error)
        {
            throw new LoadGenException($"the target sent bytes that are not a valid CretoAI frame ({WireErrorCodes.Describe(error)})");
        }

        if (frame.Type == MessageType.Pong && frame.CorrelationId == expectedSequence)
        {
            return ReplyStatus.Succeeded;
        }

        if (frame.Type == MessageType.Error && (frame.CorrelationId == expectedSequence || frame.CorrelationId == 0))
        {
            return ReplyStatus.Failed;
        }

        throw new LoadGenException($"expected Pong for request {expectedSequence}, the target sent message type {(ushort)frame.Type} for request {frame.CorrelationId}");
    }
}
