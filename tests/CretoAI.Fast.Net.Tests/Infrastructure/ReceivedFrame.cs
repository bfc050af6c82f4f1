using System.Buffers;
using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Net.Tests.Infrastructure;

/// <summary>A frame copied out of a pipe, so it outlives the reader's buffer.</summary>
internal sealed record ReceivedFrame(FrameHeader Header, byte[] Payload)
{
    public MessageType Type => Header.Type;

    public uint CorrelationId => Header.CorrelationId;

    /// <summary>The error code of an Error frame; fails the test if this is not a well-formed Error frame.</summary>
    public WireErrorCode ErrorCode
    {
        get
        {
            Xunit.Assert.Equal(MessageType.Error, Type);
            var status = ErrorPayload.TryRead(new ReadOnlySequence<byte>(Payload), out var code, out _);
            Xunit.Assert.Equal(WireErrorCode.None, status);
            return code;
        }
    }
}
