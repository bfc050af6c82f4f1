using System.Buffers;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Wire.Client;

/// <summary>
/// Payload of <see cref="MessageType.SubmitResult"/> (0x0201), the node's admission verdict on one
/// submitted transaction. Fixed layout, little-endian (docs/protocol.md, "Client protocol"):
/// <code>
///  0  u8    status (SubmitStatus; a reader treats unknown values as a refusal)
///  1  32 B  transaction id, SHA3-256 of the submitted envelope
/// 33  u16   detail length L, at most 512
/// 35  L     detail, UTF-8, for humans; empty when there is nothing to add
/// </code>
/// </summary>
public readonly record struct SubmitResultMessage(SubmitStatus Status, Hash32 TransactionId, string Detail)
{
    /// <summary>Longest detail text, in UTF-8 bytes; a longer one is truncated on a character boundary when written.</summary>
    public const int MaxDetailBytes = 512;

    public const int FixedLength = 1 + Hash32.Size + 2;

    public const int MaxLength = FixedLength + MaxDetailBytes;

    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        FixedPayloadWriter.WriteByte(writer, (byte)Status);
        FixedPayloadWriter.WriteHash(writer, TransactionId);
        FixedPayloadWriter.WriteUtf8(writer, Detail, MaxDetailBytes);
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out SubmitResultMessage value) => TryRead(payload, out value, out _);

    public static bool TryRead(ReadOnlySpan<byte> payload, out SubmitResultMessage value, out WireErrorCode error)
    {
        value = default;
        var reader = new FixedPayloadReader(payload);
        if (reader.TryReadByte(out var status)
            && reader.TryReadHash(out var id)
            && reader.TryReadUtf8(MaxDetailBytes, out var detail)
            && reader.TryEnd())
        {
            error = WireErrorCode.None;
            value = new SubmitResultMessage((SubmitStatus)status, id, detail);
            return true;
        }

        error = reader.Error;
        return false;
    }
}
