using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Messages.Codec;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// One block archive record: the committed block with its certificate exactly as the WAL and the
/// sync protocol carry it, followed by what applying it produced (state hash, one verdict per
/// transaction). Layout: <c>u32 n, n bytes committed-block encoding, 32 B state hash, u32 count,
/// then per transaction u8 verdict, u16 reason length, UTF-8 reason</c>.
/// </summary>
internal static class ArchivedBlock
{
    /// <summary>Appends the record to <paramref name="writer"/> (the apply thread reuses one buffer for every block).</summary>
    public static void Encode(ArrayBufferWriter<byte> writer, ReadOnlySpan<byte> committedBlock, Hash32 stateHash, IReadOnlyList<(byte Verdict, string? Reason)> verdicts)
    {
        var head = writer.GetSpan(4);
        BinaryPrimitives.WriteInt32LittleEndian(head, committedBlock.Length);
        writer.Advance(4);
        writer.Write(committedBlock);
        AppendOutcome(writer, stateHash, verdicts);
    }

    private static void AppendOutcome(ArrayBufferWriter<byte> writer, Hash32 stateHash, IReadOnlyList<(byte Verdict, string? Reason)> verdicts)
    {
        stateHash.CopyTo(writer.GetSpan(Hash32.Size));
        writer.Advance(Hash32.Size);
        BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(4), verdicts.Count);
        writer.Advance(4);
        foreach (var (verdict, reason) in verdicts)
        {
            var text = reason is null ? [] : Encoding.UTF8.GetBytes(reason.Length > 300 ? reason[..300] : reason);
            var span = writer.GetSpan(3 + text.Length);
            span[0] = verdict;
            BinaryPrimitives.WriteUInt16LittleEndian(span[1..], (ushort)text.Length);
            text.CopyTo(span[3..]);
            writer.Advance(3 + text.Length);
        }
    }

    /// <summary>
    /// Appends the record for <paramref name="block"/> and its <paramref name="certificate"/>,
    /// encoding the committed block straight into <paramref name="writer"/> (no intermediate copy).
    /// </summary>
    public static void Encode(ArrayBufferWriter<byte> writer, Block block, QuorumCertificate certificate, Hash32 stateHash, IReadOnlyList<(byte Verdict, string? Reason)> verdicts)
    {
        var start = writer.WrittenCount;
        writer.GetSpan(4);
        writer.Advance(4);
        CommittedBlockCodec.Write(writer, block, certificate);
        var length = writer.WrittenCount - start - 4;
        BinaryPrimitives.WriteInt32LittleEndian(MemoryMarshal.AsMemory(writer.WrittenMemory).Span[start..], length);
        AppendOutcome(writer, stateHash, verdicts);
    }

    /// <summary>The committed-block encoding inside a record (what sync serves).</summary>
    public static ReadOnlyMemory<byte> CommittedBlock(ReadOnlyMemory<byte> record)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(record.Span);
        return record.Slice(4, length);
    }

    public static (Hash32 StateHash, (byte Verdict, string? Reason)[] Verdicts) Outcome(ReadOnlySpan<byte> record)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(record);
        var rest = record[(4 + length)..];
        var stateHash = new Hash32(rest[..Hash32.Size]);
        rest = rest[Hash32.Size..];
        var count = BinaryPrimitives.ReadInt32LittleEndian(rest);
        rest = rest[4..];
        var verdicts = new (byte, string?)[count];
        for (var i = 0; i < count; i++)
        {
            var verdict = rest[0];
            var textLength = BinaryPrimitives.ReadUInt16LittleEndian(rest[1..]);
            var reason = textLength == 0 ? null : Encoding.UTF8.GetString(rest.Slice(3, textLength));
            verdicts[i] = (verdict, reason);
            rest = rest[(3 + textLength)..];
        }

        return (stateHash, verdicts);
    }
}
