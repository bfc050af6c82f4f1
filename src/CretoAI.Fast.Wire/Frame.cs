using System.Buffers;

namespace CretoAI.Fast.Wire;

/// <summary>
/// A decoded frame: its header and its payload as a slice of the reader's buffer. The payload is
/// not copied, so it is valid only until the reader advances past it.
/// </summary>
public readonly struct Frame
{
    public Frame(FrameHeader header, ReadOnlySequence<byte> payload)
    {
        Header = header;
        Payload = payload;
    }

    public FrameHeader Header { get; }

    public ReadOnlySequence<byte> Payload { get; }

    public MessageType Type => Header.Type;

    public uint CorrelationId => Header.CorrelationId;
}
