using System.Buffers;
using System.Buffers.Binary;

namespace CretoAI.Fast.Consensus.Messages.Codec;

/// <summary>
/// The payload of a <c>SyncRequest</c> (0x0110) frame, 16 bytes little-endian:
/// <code>
///  0  u64  from height: the first committed height wanted
///  8  u32  max blocks: at most this many blocks in the answer (≥ 1)
/// 12  u32  max bytes: at most this many payload bytes in the answer (≥ 1)
/// </code>
/// The responder answers with a <see cref="CommittedBlockCodec"/> batch of consecutive heights from
/// <see cref="FromHeight"/>, within both bounds and its own limits (always at least one block when it
/// has one, even if that block alone exceeds <see cref="MaxBytes"/>).
/// </summary>
public readonly record struct SyncRequestPayload(ulong FromHeight, uint MaxBlocks, uint MaxBytes)
{
    public const int Size = 16;

    public void Write(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Write(writer.GetSpan(Size));
        writer.Advance(Size);
    }

    /// <summary>Writes the 16 bytes into <paramref name="destination"/> (at least <see cref="Size"/> bytes).</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, FromHeight);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], MaxBlocks);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], MaxBytes);
    }

    /// <summary>Exactly 16 bytes; a zero bound is <see cref="ConsensusDecodeError.BadValue"/> (nothing could answer it).</summary>
    public static ConsensusDecodeError TryRead(ReadOnlySpan<byte> payload, out SyncRequestPayload request)
    {
        request = default;
        if (payload.Length < Size)
        {
            return ConsensusDecodeError.Truncated;
        }

        if (payload.Length > Size)
        {
            return ConsensusDecodeError.TrailingBytes;
        }

        var decoded = new SyncRequestPayload(
            BinaryPrimitives.ReadUInt64LittleEndian(payload),
            BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(payload[12..]));
        if (decoded.MaxBlocks == 0 || decoded.MaxBytes == 0)
        {
            return ConsensusDecodeError.BadValue;
        }

        request = decoded;
        return ConsensusDecodeError.None;
    }
}
