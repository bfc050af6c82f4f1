using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using CretoAI.Fast.Core;
using CretoAI.Fast.Reputation.Decay;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Reputation.Scores;

/// <summary>
/// Reputation of validators and agents, a replicated state machine: every replica applies the same
/// committed events in the same order and ends with byte-identical records. A score (ppm, 0..1.0)
/// starts at <see cref="ReputationRules.StartPpm"/>, moves by the rules' deltas (clamped to the range)
/// and decays toward the start with the rules' half-life, measured in block timestamps. Decay is lazy:
/// a record holds the score and the tick it was last decayed at, and every read or update decays it
/// to the block's time first (<see cref="ScoreAt"/>); <see cref="ScoresAt"/> does the same for many
/// subjects at once with the SIMD kernel, with identical results. The last
/// <see cref="ReputationRules.HistoryLength"/> changes of each subject are kept.
/// <para>Record layouts (little-endian, version byte first):
/// score record (<see cref="StateNamespace.ReputationRecord"/>): version 1, score u32, last tick u32, updates u64 (17 bytes);
/// history (<see cref="StateNamespace.ReputationHistory"/>): version 1, next slot u16, count u16, then
/// HistoryLength slots of cause u8, offence u8, height u64, delta i32, score after u32 (18 bytes each).</para>
/// </summary>
public sealed class ReputationTracker
{
    private const byte RecordVersion = 1;
    private const int RecordSize = 17;
    private const int HistoryHeaderSize = 5;
    private const int HistoryEntrySize = 18;

    // Deriving a state key is a SHA3-256; validators are updated every block, so their keys are kept.
    private const int MaxCachedKeys = 8192;

    private readonly IReplicatedState _state;
    private readonly ulong _tickLengthMs;
    private readonly ConcurrentDictionary<Hash32, (StateKey Record, StateKey History)> _keys = new();

    public ReputationTracker(IReplicatedState state, ReputationRules rules)
    {
        _state = state ?? throw new ArgumentNullException(nameof(state));
        Rules = (rules ?? throw new ArgumentNullException(nameof(rules))).Validate();
        _tickLengthMs = ReputationDecay.TickLengthMs(rules.HalfLifeMs);
    }

    public ReputationRules Rules { get; }

    private int HistorySize => HistoryHeaderSize + (Rules.HistoryLength * HistoryEntrySize);

    /// <summary>The decay tick of a block timestamp.</summary>
    public uint TickOf(ulong timestampMs) => ReputationDecay.TickOf(timestampMs, _tickLengthMs);

    /// <summary>True when the subject has a record (was set at genesis or changed since).</summary>
    public bool IsKnown(Hash32 subject) => TryReadRecord(subject, out _);

    /// <summary>The score of <paramref name="subject"/> decayed to <paramref name="timestampMs"/>; the start value for a subject never seen. Changes nothing.</summary>
    public uint ScoreAt(Hash32 subject, ulong timestampMs)
    {
        var now = TickOf(timestampMs);
        if (!TryReadRecord(subject, out var record))
        {
            return Rules.StartPpm;
        }

        return ReputationDecay.Decay(record.Score, now >= record.LastTick ? now - record.LastTick : 0);
    }

    /// <summary>
    /// <see cref="ScoreAt"/> for many subjects: reads their records, then decays them all in one pass
    /// of the vector kernel. Gives exactly what <see cref="ScoreAt"/> gives for each.
    /// </summary>
    public void ScoresAt(ReadOnlySpan<Hash32> subjects, ulong timestampMs, Span<uint> scores)
    {
        if (scores.Length != subjects.Length)
        {
            throw new ArgumentException($"{subjects.Length} subjects but room for {scores.Length} scores.", nameof(scores));
        }

        var now = TickOf(timestampMs);
        var raw = ArrayPool<uint>.Shared.Rent(subjects.Length);
        var ticks = ArrayPool<uint>.Shared.Rent(subjects.Length);
        try
        {
            for (var i = 0; i < subjects.Length; i++)
            {
                if (TryReadRecord(subjects[i], out var record))
                {
                    raw[i] = record.Score;
                    ticks[i] = Math.Min(record.LastTick, now);
                }
                else
                {
                    raw[i] = Rules.StartPpm;
                    ticks[i] = now;
                }
            }

            ReputationDecay.DecayBatch(raw.AsSpan(0, subjects.Length), ticks.AsSpan(0, subjects.Length), now, scores);
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(raw);
            ArrayPool<uint>.Shared.Return(ticks);
        }
    }

    /// <summary>Sets a subject's score at genesis (or on registration), replacing any record.</summary>
    public void SetInitial(Hash32 subject, uint scorePpm, BlockContext at)
    {
        if (scorePpm > ReputationDecay.MaxPpm)
        {
            throw new ArgumentOutOfRangeException(nameof(scorePpm), scorePpm, "A reputation score is at most 1,000,000 ppm.");
        }

        WriteRecord(subject, new Record(scorePpm, TickOf(at.TimestampMs), 0));
        AppendHistory(subject, new ReputationHistoryEntry(ReputationCause.Genesis, Offence.None, at.Height, (int)scorePpm - (int)Rules.StartPpm, scorePpm));
    }

    /// <summary>
    /// Applies one event at a block: decays the score to the block's time, adds the rule's delta,
    /// clamps to 0..1,000,000, stores the result and records it in the history.
    /// </summary>
    /// <exception cref="InvalidOperationException">The block's time is before the subject's last update (blocks must be applied in order).</exception>
    public ReputationChange Apply(Hash32 subject, ReputationCause cause, Offence offence, BlockContext at)
    {
        var delta = Rules.DeltaOf(cause, offence);
        var now = TickOf(at.TimestampMs);
        var known = TryReadRecord(subject, out var record);
        if (!known)
        {
            record = new Record(Rules.StartPpm, now, 0);
        }
        else if (now < record.LastTick)
        {
            throw new InvalidOperationException($"Reputation of {subject.ToShortString()} was last updated at tick {record.LastTick}; block {at.Height} is at tick {now}: blocks must be applied in order.");
        }

        var before = ReputationDecay.Decay(record.Score, now - record.LastTick);
        var after = (uint)Math.Clamp((long)before + delta, 0, ReputationDecay.MaxPpm);
        WriteRecord(subject, new Record(after, now, record.Updates + 1));
        AppendHistory(subject, new ReputationHistoryEntry(cause, cause == ReputationCause.Offence ? offence : Offence.None, at.Height, (int)after - (int)before, after));
        return new ReputationChange(before, after);
    }

    /// <summary>The subject's last changes, oldest first (empty for a subject never seen).</summary>
    public IReadOnlyList<ReputationHistoryEntry> History(Hash32 subject)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(HistorySize);
        try
        {
            var span = buffer.AsSpan(0, HistorySize);
            if (!_state.TryRead(KeysOf(subject).History, span, out var length))
            {
                return [];
            }

            var (next, count) = ReadHistoryHeader(subject, span, length);
            var entries = new ReputationHistoryEntry[count];
            var first = (next - count + Rules.HistoryLength) % Rules.HistoryLength;
            for (var i = 0; i < count; i++)
            {
                entries[i] = ReadEntry(span[(HistoryHeaderSize + (((first + i) % Rules.HistoryLength) * HistoryEntrySize))..]);
            }

            return entries;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private (StateKey Record, StateKey History) KeysOf(Hash32 subject)
    {
        if (_keys.TryGetValue(subject, out var keys))
        {
            return keys;
        }

        if (_keys.Count >= MaxCachedKeys)
        {
            _keys.Clear();
        }

        keys = (StateKey.For(StateNamespace.ReputationRecord, subject), StateKey.For(StateNamespace.ReputationHistory, subject));
        _keys[subject] = keys;
        return keys;
    }

    private bool TryReadRecord(Hash32 subject, out Record record)
    {
        Span<byte> bytes = stackalloc byte[RecordSize];
        record = default;
        if (!_state.TryRead(KeysOf(subject).Record, bytes, out var length))
        {
            return false;
        }

        if (length != RecordSize || bytes[0] != RecordVersion)
        {
            throw new StorageException(StorageError.StateCorrupt, $"Reputation record of {subject.ToShortString()}: {length} bytes, version {bytes[0]}; expected {RecordSize} bytes, version {RecordVersion}.");
        }

        record = new Record(BinaryPrimitives.ReadUInt32LittleEndian(bytes[1..]), BinaryPrimitives.ReadUInt32LittleEndian(bytes[5..]), BinaryPrimitives.ReadUInt64LittleEndian(bytes[9..]));
        if (record.Score > ReputationDecay.MaxPpm)
        {
            throw new StorageException(StorageError.StateCorrupt, $"Reputation record of {subject.ToShortString()} holds score {record.Score} ppm, above 1,000,000.");
        }

        return true;
    }

    private void WriteRecord(Hash32 subject, Record record)
    {
        Span<byte> bytes = stackalloc byte[RecordSize];
        bytes[0] = RecordVersion;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[1..], record.Score);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[5..], record.LastTick);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[9..], record.Updates);
        _state.Write(KeysOf(subject).Record, bytes);
    }

    private void AppendHistory(Hash32 subject, ReputationHistoryEntry entry)
    {
        var key = KeysOf(subject).History;
        var buffer = ArrayPool<byte>.Shared.Rent(HistorySize);
        try
        {
            var span = buffer.AsSpan(0, HistorySize);
            int next, count;
            if (_state.TryRead(key, span, out var length))
            {
                (next, count) = ReadHistoryHeader(subject, span, length);
            }
            else
            {
                span.Clear();
                (next, count) = (0, 0);
            }

            var slot = span[(HistoryHeaderSize + (next * HistoryEntrySize))..];
            slot[0] = (byte)entry.Cause;
            slot[1] = (byte)entry.Offence;
            BinaryPrimitives.WriteUInt64LittleEndian(slot[2..], entry.Height);
            BinaryPrimitives.WriteInt32LittleEndian(slot[10..], entry.DeltaPpm);
            BinaryPrimitives.WriteUInt32LittleEndian(slot[14..], entry.ScoreAfterPpm);
            next = (next + 1) % Rules.HistoryLength;
            count = Math.Min(count + 1, Rules.HistoryLength);
            span[0] = RecordVersion;
            BinaryPrimitives.WriteUInt16LittleEndian(span[1..], (ushort)next);
            BinaryPrimitives.WriteUInt16LittleEndian(span[3..], (ushort)count);
            _state.Write(key, span);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private (int Next, int Count) ReadHistoryHeader(Hash32 subject, ReadOnlySpan<byte> span, int length)
    {
        var next = BinaryPrimitives.ReadUInt16LittleEndian(span[1..]);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(span[3..]);
        if (length != HistorySize || span[0] != RecordVersion || next >= Rules.HistoryLength || count > Rules.HistoryLength)
        {
            throw new StorageException(StorageError.StateCorrupt, $"Reputation history of {subject.ToShortString()} is damaged ({length} bytes, version {span[0]}, slot {next}, count {count}).");
        }

        return (next, count);
    }

    private static ReputationHistoryEntry ReadEntry(ReadOnlySpan<byte> slot) => new(
        (ReputationCause)slot[0],
        (Offence)slot[1],
        BinaryPrimitives.ReadUInt64LittleEndian(slot[2..]),
        BinaryPrimitives.ReadInt32LittleEndian(slot[10..]),
        BinaryPrimitives.ReadUInt32LittleEndian(slot[14..]));

    private readonly record struct Record(uint Score, uint LastTick, ulong Updates);
}
