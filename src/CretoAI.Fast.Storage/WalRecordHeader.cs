using System.Buffers.Binary;

namespace CretoAI.Fast.Storage;

/// <summary>
/// The 12 bytes in front of every WAL payload, inside the FasterLog entry:
/// <c>crc32c u32 | kind u8 | format u8 | flags u16 | payloadLength u32</c>, little-endian. The CRC covers
/// bytes 4.. of the header and the payload, so a flipped bit anywhere in the record, a torn record or a
/// record read from the wrong address is detected before it reaches a caller. The flags (storage format 3;
/// always 0 before) say whether the record is one part of a record split across log pages
/// (<see cref="WalRecordFlags"/>).
/// </summary>
public static class WalRecordHeader
{
    public const int Size = 12;

    public const byte Format = 1;

    /// <summary>Writes the header for <paramref name="payload"/> (already placed after it) into <paramref name="record"/>.</summary>
    public static void Write(Span<byte> record, WalRecordKind kind, ReadOnlySpan<byte> payload, WalRecordFlags flags = WalRecordFlags.None)
    {
        record[4] = (byte)kind;
        record[5] = Format;
        BinaryPrimitives.WriteUInt16LittleEndian(record[6..], (ushort)flags);
        BinaryPrimitives.WriteInt32LittleEndian(record[8..], payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record, RecordChecksum.Compute(record[4..Size], payload));
    }

    /// <summary>Checks a whole entry; on success returns null and the kind and payload, otherwise why it is invalid.</summary>
    public static string? Validate(ReadOnlySpan<byte> entry, out WalRecordKind kind, out ReadOnlySpan<byte> payload) =>
        Validate(entry, out kind, out payload, out _);

    /// <summary>Checks a whole entry; on success returns null and the kind, flags and payload, otherwise why it is invalid.</summary>
    public static string? Validate(ReadOnlySpan<byte> entry, out WalRecordKind kind, out ReadOnlySpan<byte> payload, out WalRecordFlags flags)
    {
        kind = WalRecordKind.None;
        flags = WalRecordFlags.None;
        payload = default;
        if (entry.Length < Size)
        {
            return $"entry of {entry.Length} bytes is shorter than the {Size}-byte record header";
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(entry[8..]);
        if (length != entry.Length - Size)
        {
            return $"header says {length} payload bytes but the entry holds {entry.Length - Size}";
        }

        var expected = BinaryPrimitives.ReadUInt32LittleEndian(entry);
        var actual = RecordChecksum.Compute(entry[4..Size], entry[Size..]);
        if (expected != actual)
        {
            return $"checksum mismatch (stored 0x{expected:X8}, computed 0x{actual:X8})";
        }

        if (entry[5] != Format)
        {
            return $"record format {entry[5]} is not {Format}";
        }

        if (entry[4] == 0)
        {
            return "record kind 0 is invalid";
        }

        var bits = BinaryPrimitives.ReadUInt16LittleEndian(entry[6..]);
        if ((bits & ~(int)WalRecordFlags.All) != 0)
        {
            return $"record flags 0x{bits:X4} include unknown bits";
        }

        kind = (WalRecordKind)entry[4];
        flags = (WalRecordFlags)bits;
        payload = entry[Size..];
        return null;
    }
}
