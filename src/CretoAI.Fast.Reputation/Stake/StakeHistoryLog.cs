using System.Buffers.Binary;
using CretoAI.Fast.Core;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Reputation.Stake;

/// <summary>
/// The last operations of one validator, stored under <see cref="StateNamespace.StakeHistory"/>.
/// <para>
/// Layout (little-endian), version 1, 3 + 26 × N bytes: [0] version = 1; [1..3) N u16 (at most
/// <see cref="StakeRules.HistoryLength"/>); then N entries oldest first, each: kind u8
/// (<see cref="StakeEventKind"/>), offence u8 (<see cref="Offence"/>, 0 = none), height u64,
/// timestamp-ms u64, amount u64.
/// </para>
/// </summary>
internal static class StakeHistoryLog
{
    private const string What = "stake history";
    private const int HeaderSize = 3;
    private const int EntrySize = 26;

    public static StateKey KeyOf(Hash32 validator) => StateKey.For(StateNamespace.StakeHistory, validator);

    public static int MaxEncodedSize(int historyLength) => HeaderSize + (EntrySize * historyLength);

    /// <summary>The stored entries, oldest first; empty when there is no record.</summary>
    public static List<StakeHistoryEntry> Load(IReplicatedState state, Hash32 validator, int historyLength)
    {
        var buffer = StakeStateIo.Read(state, KeyOf(validator), MaxEncodedSize(historyLength), What, out var length);
        if (buffer is null)
        {
            return [];
        }

        try
        {
            return Decode(buffer.AsSpan(0, length), historyLength);
        }
        finally
        {
            StakeStateIo.Return(buffer);
        }
    }

    /// <summary>Appends <paramref name="entry"/>, dropping the oldest entries beyond <paramref name="historyLength"/>.</summary>
    public static void Append(IReplicatedState state, Hash32 validator, StakeHistoryEntry entry, int historyLength)
    {
        var entries = Load(state, validator, historyLength);
        entries.Add(entry);
        if (entries.Count > historyLength)
        {
            entries.RemoveRange(0, entries.Count - historyLength);
        }

        var encoded = new byte[HeaderSize + (EntrySize * entries.Count)];
        encoded[0] = StakeStateIo.RecordVersion;
        BinaryPrimitives.WriteUInt16LittleEndian(encoded.AsSpan(1), (ushort)entries.Count);
        var offset = HeaderSize;
        foreach (var e in entries)
        {
            var span = encoded.AsSpan(offset, EntrySize);
            span[0] = (byte)e.Kind;
            span[1] = e.Offence is { } offence ? (byte)offence : (byte)0;
            BinaryPrimitives.WriteUInt64LittleEndian(span[2..], e.Height);
            BinaryPrimitives.WriteUInt64LittleEndian(span[10..], e.TimestampMs);
            BinaryPrimitives.WriteUInt64LittleEndian(span[18..], e.Amount);
            offset += EntrySize;
        }

        state.Write(KeyOf(validator), encoded);
    }

    private static List<StakeHistoryEntry> Decode(ReadOnlySpan<byte> source, int historyLength)
    {
        if (source.Length < HeaderSize)
        {
            throw StakeStateIo.Corrupt(What, $"{source.Length} bytes, shorter than the {HeaderSize}-byte header");
        }

        int count = BinaryPrimitives.ReadUInt16LittleEndian(source[1..]);
        StakeStateIo.CheckHeader(source, HeaderSize + (EntrySize * count), What);
        if (count > historyLength)
        {
            throw StakeStateIo.Corrupt(What, $"{count} entries, at most {historyLength} allowed");
        }

        var entries = new List<StakeHistoryEntry>(count + 1);
        for (var offset = HeaderSize; offset < source.Length; offset += EntrySize)
        {
            var span = source.Slice(offset, EntrySize);
            var kind = (StakeEventKind)span[0];
            var offence = (Offence)span[1];
            if (kind is < StakeEventKind.Genesis or > StakeEventKind.Slash)
            {
                throw StakeStateIo.Corrupt(What, $"unknown event kind {span[0]}");
            }

            var isSlash = kind == StakeEventKind.Slash;
            var offenceValid = isSlash ? offence is >= Offence.Equivocation and <= Offence.MissedVote : span[1] == 0;
            if (!offenceValid)
            {
                throw StakeStateIo.Corrupt(What, $"offence {span[1]} on a {kind} entry");
            }

            entries.Add(new StakeHistoryEntry(
                kind,
                BinaryPrimitives.ReadUInt64LittleEndian(span[2..]),
                BinaryPrimitives.ReadUInt64LittleEndian(span[10..]),
                BinaryPrimitives.ReadUInt64LittleEndian(span[18..]),
                isSlash ? offence : null));
        }

        return entries;
    }
}
