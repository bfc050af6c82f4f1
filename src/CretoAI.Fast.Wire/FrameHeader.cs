using System.Buffers.Binary;

namespace CretoAI.Fast.Wire;

/// <summary>
/// The fixed 20-byte frame header. Layout (all integers little-endian):
/// <code>
///  0  u16  magic            0x4643 ("CF" on the wire: 0x43 0x46)
///  2  u8   version          1
///  3  u8   flags            FrameFlags; undefined bits must be 0
///  4  u16  message type     MessageType
///  6  u16  reserved         must be 0
///  8  u32  correlation id   chosen by the requester, echoed by the response
/// 12  u32  payload length   bytes after the header
/// 16  u32  checksum         CRC32C over header bytes 0..15 followed by the payload
/// </code>
/// </summary>
public readonly record struct FrameHeader(FrameFlags Flags, MessageType Type, uint CorrelationId, int PayloadLength)
{
    public const int Size = 20;

    /// <summary>Bytes covered by the checksum before the payload.</summary>
    public const int ChecksummedPrefix = 16;

    public const ushort Magic = 0x4643;
    public const byte MagicByte0 = 0x43;
    public const byte MagicByte1 = 0x46;
    public const byte CurrentVersion = 1;

    public bool IsResponse => (Flags & FrameFlags.Response) != FrameFlags.None;

    /// <summary>Writes bytes 0..15 (everything but the checksum) into <paramref name="destination"/>.</summary>
    public void WritePrefix(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(destination, Magic);
        destination[2] = CurrentVersion;
        destination[3] = (byte)Flags;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], (ushort)Type);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], CorrelationId);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], (uint)PayloadLength);
    }
}
