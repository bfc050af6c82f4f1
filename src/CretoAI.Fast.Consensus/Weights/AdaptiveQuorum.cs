using System.Buffers.Binary;
using CretoAI.Fast.Consensus.Validators;

namespace CretoAI.Fast.Consensus.Weights;

/// <summary>
/// Sans-IO state machine that derives the threat level (and so the quorum threshold) from committed data
/// only: Byzantine evidence in a time window measured in block timestamps, and chain stability. Feed every
/// committed block in height order through <see cref="OnBlockCommitted"/>; ask <see cref="LevelAt"/> which
/// level applies at a height. A level decided at height h applies from h + ActivationDelay, so every honest
/// node that committed the same prefix uses the same threshold at the same height. Same inputs → same
/// state → same <see cref="Snapshot"/> bytes. Rules: docs/weights.md.
/// </summary>
public sealed class AdaptiveQuorum : IThreatLevelProvider
{
    /// <summary>Transitions older than the one in force at the committed height are dropped beyond this many.</summary>
    public const int MaxRetainedTransitions = 64;

    private const uint SnapshotMagic = 0x3153_5141; // "AQS1" read little-endian
    private const int SnapshotFixedSize = 4 + 44 + 44 + 12;

    private readonly AdaptiveQuorumRules _rules;

    // Latest detection time per offender index, ordered so iteration (and the snapshot) is deterministic.
    private readonly SortedDictionary<int, ulong> _lastDetectionMs = [];
    private readonly Queue<ulong> _recentRounds = new();
    private readonly List<LevelTransition> _transitions = [];
    private readonly List<int> _expired = [];

    private ulong _lastHeight;
    private ulong _lastTimestampMs;
    private bool _hasRound;
    private ulong _firstRound;
    private ulong _lastRound;
    private ThreatLevel _decided;
    private bool _calm;
    private ulong _calmSinceMs;
    private ThreatLevel _calmHighest;

    /// <param name="rules">Chain constants.</param>
    /// <param name="startHeight">Height already accounted for (0 at genesis): the next block fed is startHeight + 1.</param>
    /// <param name="initialLevel">Level in force from height 0 (Normal at genesis).</param>
    public AdaptiveQuorum(AdaptiveQuorumRules rules, ulong startHeight = 0, ThreatLevel initialLevel = ThreatLevel.Normal)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = rules.Validate();
        CheckLevel(initialLevel);
        _lastHeight = startHeight;
        _decided = initialLevel;
        _transitions.Add(new LevelTransition(0, initialLevel));
    }

    public AdaptiveQuorumRules Rules => _rules;

    /// <summary>Height of the last committed block fed (or the start height).</summary>
    public ulong LastCommittedHeight => _lastHeight;

    /// <summary>The level decided so far; it applies from its effective height on.</summary>
    public ThreatLevel DecidedLevel => _decided;

    /// <summary>Retained transitions, oldest first (the first one is in force at or before the committed height).</summary>
    public IReadOnlyList<LevelTransition> Transitions => _transitions;

    /// <summary>
    /// Accounts for one committed block and the evidence it carries. All checks run before any state changes,
    /// so a rejected input leaves the machine as it was.
    /// </summary>
    /// <exception cref="ArgumentException">Height not the next one, round not increasing, timestamp going back, or evidence naming a validator outside the set.</exception>
    public ThreatAssessment OnBlockCommitted(CommittedBlockFacts block, ReadOnlySpan<ByzantineEvidence> evidence)
    {
        if (block.Height != _lastHeight + 1)
        {
            throw new ArgumentException($"Expected the block at height {_lastHeight + 1}, got {block.Height}.", nameof(block));
        }

        if (_hasRound && block.Round <= _lastRound)
        {
            throw new ArgumentException($"Round {block.Round} at height {block.Height} does not follow round {_lastRound}.", nameof(block));
        }

        if (block.TimestampMs < _lastTimestampMs)
        {
            throw new ArgumentException($"Timestamp {block.TimestampMs} at height {block.Height} is before the previous block's {_lastTimestampMs}.", nameof(block));
        }

        if (block.ValidatorCount <= 0)
        {
            throw new ArgumentException($"Height {block.Height} has no validators.", nameof(block));
        }

        foreach (var item in evidence)
        {
            if ((uint)item.ValidatorIndex >= (uint)block.ValidatorCount)
            {
                throw new ArgumentException($"Evidence names validator {item.ValidatorIndex}, the set at height {block.Height} has {block.ValidatorCount}.", nameof(evidence));
            }
        }

        var now = block.TimestampMs;
        _lastHeight = block.Height;
        _lastTimestampMs = now;
        foreach (var item in evidence)
        {
            _lastDetectionMs[item.ValidatorIndex] = now;
        }

        ForgetExpiredDetections(now);
        var stability = RecordRound(block.Round);
        var target = TargetLevel(_lastDetectionMs.Count, block.ValidatorCount, stability);
        var changed = Decide(target, now);
        var effective = block.Height + _rules.ActivationDelay;
        if (changed)
        {
            _transitions.Add(new LevelTransition(effective, _decided));
            PruneTransitions();
        }

        return new ThreatAssessment(block.Height, _lastDetectionMs.Count, stability, target, _decided, changed, changed ? effective : 0);
    }

    /// <summary>The level in force at <paramref name="height"/>.</summary>
    /// <exception cref="InvalidOperationException">The level there is not decided yet (the chain is not committed far enough) or its history was pruned.</exception>
    public ThreatLevel LevelAt(ulong height) =>
        TryGetLevelAt(height, out var level)
            ? level
            : throw new InvalidOperationException(height > DeterminedThrough
                ? $"The threat level at height {height} is not decided yet: committed through {_lastHeight}, known through {DeterminedThrough}."
                : $"The threat level at height {height} was pruned; the oldest retained transition is at {_transitions[0].EffectiveHeight}.");

    /// <summary>False when <paramref name="height"/> is beyond <see cref="DeterminedThrough"/> or before the retained history.</summary>
    public bool TryGetLevelAt(ulong height, out ThreatLevel level)
    {
        level = default;
        if (height > DeterminedThrough || height < _transitions[0].EffectiveHeight)
        {
            return false;
        }

        // Few transitions and they are sorted: scan from the newest.
        for (var i = _transitions.Count - 1; i >= 0; i--)
        {
            if (_transitions[i].EffectiveHeight <= height)
            {
                level = _transitions[i].Level;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Last height whose level is fixed: a decision at a height above the committed one can only take effect
    /// after committed height + ActivationDelay.
    /// </summary>
    public ulong DeterminedThrough => _lastHeight + _rules.ActivationDelay;

    /// <summary>Minimum quorum weight at <paramref name="height"/> for a validator set of <paramref name="totalWeight"/>.</summary>
    public ulong QuorumWeightAt(ulong height, ulong totalWeight) => QuorumThreshold.MinimumWeight(totalWeight, LevelAt(height));

    private void ForgetExpiredDetections(ulong now)
    {
        _expired.Clear();
        foreach (var (validator, detectedMs) in _lastDetectionMs)
        {
            if (now - detectedMs >= _rules.ByzantineWindowMs)
            {
                _expired.Add(validator);
            }
        }

        foreach (var validator in _expired)
        {
            _lastDetectionMs.Remove(validator);
        }
    }

    /// <summary>
    /// Stability = blocks on the committed chain among the last W rounds / W, in ppm. A round without a
    /// committed-chain block ended in a timeout or its block was orphaned: either way the network was not
    /// making progress. Until W rounds have passed since the first block fed, stability counts as 1.
    /// </summary>
    private uint RecordRound(ulong round)
    {
        if (!_hasRound)
        {
            _hasRound = true;
            _firstRound = round;
        }

        _lastRound = round;
        _recentRounds.Enqueue(round);
        var window = (ulong)_rules.StabilityWindowRounds;
        while (_recentRounds.Peek() + window <= round)
        {
            _recentRounds.Dequeue();
        }

        return round - _firstRound + 1 < window
            ? VotingWeights.PpmScale
            : (uint)((ulong)_recentRounds.Count * VotingWeights.PpmScale / window);
    }

    private ThreatLevel TargetLevel(int distinctByzantine, int validatorCount, uint stabilityPpm)
    {
        var offenders = (ulong)distinctByzantine * 100;
        if (offenders >= (ulong)_rules.HighByzantinePercent * (ulong)validatorCount || stabilityPpm < _rules.HighStabilityPpm)
        {
            return ThreatLevel.High;
        }

        if (offenders >= (ulong)_rules.ElevatedByzantinePercent * (ulong)validatorCount || stabilityPpm < _rules.ElevatedStabilityPpm)
        {
            return ThreatLevel.Elevated;
        }

        return ThreatLevel.Normal;
    }

    /// <summary>
    /// Upgrades at once. A downgrade needs the target to stay below the decided level for CalmPeriodMs; it then
    /// goes to the highest target seen during that calm, and a new calm period starts for any further step down.
    /// </summary>
    private bool Decide(ThreatLevel target, ulong now)
    {
        if (target >= _decided)
        {
            _calm = false;
            if (target == _decided)
            {
                return false;
            }

            _decided = target;
            return true;
        }

        if (!_calm)
        {
            _calm = true;
            _calmSinceMs = now;
            _calmHighest = target;
            return false;
        }

        _calmHighest = (ThreatLevel)Math.Max((byte)_calmHighest, (byte)target);
        if (now - _calmSinceMs < _rules.CalmPeriodMs)
        {
            return false;
        }

        _decided = _calmHighest;
        _calm = target < _decided;
        _calmSinceMs = now;
        _calmHighest = target;
        return true;
    }

    private void PruneTransitions()
    {
        while (_transitions.Count > MaxRetainedTransitions && _transitions[1].EffectiveHeight <= _lastHeight)
        {
            _transitions.RemoveAt(0);
        }
    }

    private static void CheckLevel(ThreatLevel level)
    {
        if (level > ThreatLevel.High)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown threat level.");
        }
    }

    /// <summary>
    /// The whole state as bytes (little-endian, layout in docs/weights.md), for persistence. The rules are
    /// included so a snapshot is never restored under different chain constants.
    /// </summary>
    public byte[] Snapshot()
    {
        var size = SnapshotFixedSize + (_lastDetectionMs.Count * 12) + (_recentRounds.Count * 8) + (_transitions.Count * 9);
        var bytes = new byte[size];
        var writer = new SnapshotWriter(bytes);
        writer.U32(SnapshotMagic);
        WriteRules(ref writer, _rules);
        writer.U64(_lastHeight);
        writer.U64(_lastTimestampMs);
        writer.Bool(_hasRound);
        writer.U64(_firstRound);
        writer.U64(_lastRound);
        writer.Byte((byte)_decided);
        writer.Bool(_calm);
        writer.U64(_calmSinceMs);
        writer.Byte((byte)_calmHighest);
        writer.U32((uint)_lastDetectionMs.Count);
        foreach (var (validator, detectedMs) in _lastDetectionMs)
        {
            writer.U32((uint)validator);
            writer.U64(detectedMs);
        }

        writer.U32((uint)_recentRounds.Count);
        foreach (var round in _recentRounds)
        {
            writer.U64(round);
        }

        writer.U32((uint)_transitions.Count);
        foreach (var transition in _transitions)
        {
            writer.U64(transition.EffectiveHeight);
            writer.Byte((byte)transition.Level);
        }

        return bytes;
    }

    /// <summary>Rebuilds a machine from <see cref="Snapshot"/> bytes.</summary>
    /// <exception cref="FormatException">The bytes are not a consistent snapshot, or were taken under other rules.</exception>
    public static AdaptiveQuorum Restore(AdaptiveQuorumRules rules, ReadOnlySpan<byte> snapshot)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var reader = new SnapshotReader(snapshot);
        if (reader.U32() != SnapshotMagic)
        {
            throw new FormatException("Not an adaptive quorum snapshot (bad magic).");
        }

        if (ReadRules(ref reader) != rules.Validate())
        {
            throw new FormatException("The snapshot was taken under different adaptive quorum rules.");
        }

        var machine = new AdaptiveQuorum(rules, reader.U64());
        machine._transitions.Clear();
        machine._lastTimestampMs = reader.U64();
        machine._hasRound = reader.Bool();
        machine._firstRound = reader.U64();
        machine._lastRound = reader.U64();
        machine._decided = reader.Level();
        machine._calm = reader.Bool();
        machine._calmSinceMs = reader.U64();
        machine._calmHighest = reader.Level();
        Expect(machine._firstRound <= machine._lastRound && (machine._hasRound || machine._lastRound == 0), "rounds out of order");
        Expect(!machine._calm || (machine._calmSinceMs <= machine._lastTimestampMs && machine._calmHighest < machine._decided), "inconsistent calm period");

        var detections = reader.Count(12);
        var previousValidator = -1;
        for (var i = 0; i < detections; i++)
        {
            var validator = reader.U32();
            var detectedMs = reader.U64();
            Expect(validator <= int.MaxValue && (int)validator > previousValidator, "detections not in validator order");
            Expect(detectedMs <= machine._lastTimestampMs && machine._lastTimestampMs - detectedMs < rules.ByzantineWindowMs, "detection outside the window");
            previousValidator = (int)validator;
            machine._lastDetectionMs.Add(previousValidator, detectedMs);
        }

        var rounds = reader.Count(8);
        Expect(rounds <= rules.StabilityWindowRounds && (rounds > 0) == machine._hasRound, "wrong number of recent rounds");
        var previousRound = 0UL;
        for (var i = 0; i < rounds; i++)
        {
            var round = reader.U64();
            Expect((i == 0 || round > previousRound) && round >= machine._firstRound && round <= machine._lastRound && round + rules.StabilityWindowRounds > machine._lastRound, "recent rounds out of order or outside the window");
            previousRound = round;
            machine._recentRounds.Enqueue(round);
        }

        Expect(rounds == 0 || previousRound == machine._lastRound, "the last round is missing");
        var transitions = reader.Count(9);
        Expect(transitions is > 0 and <= MaxRetainedTransitions + 1, "wrong number of transitions");
        for (var i = 0; i < transitions; i++)
        {
            var transition = new LevelTransition(reader.U64(), reader.Level());
            Expect(i == 0 || transition.EffectiveHeight > machine._transitions[^1].EffectiveHeight, "transitions out of order");
            Expect(transition.EffectiveHeight <= machine.DeterminedThrough, "transition beyond the activation delay");
            machine._transitions.Add(transition);
        }

        Expect(machine._transitions[^1].Level == machine._decided, "the last transition is not the decided level");
        Expect(reader.AtEnd, "trailing bytes");
        return machine;
    }

    private static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new FormatException($"Invalid adaptive quorum snapshot: {what}.");
        }
    }

    private static void WriteRules(ref SnapshotWriter writer, AdaptiveQuorumRules rules)
    {
        writer.U64(rules.ByzantineWindowMs);
        writer.U64(rules.CalmPeriodMs);
        writer.U32(rules.ElevatedByzantinePercent);
        writer.U32(rules.HighByzantinePercent);
        writer.U32(rules.ElevatedStabilityPpm);
        writer.U32(rules.HighStabilityPpm);
        writer.U64(rules.ActivationDelay);
        writer.U32(rules.StabilityWindowRounds);
    }

    private static AdaptiveQuorumRules ReadRules(ref SnapshotReader reader) => new()
    {
        ByzantineWindowMs = reader.U64(),
        CalmPeriodMs = reader.U64(),
        ElevatedByzantinePercent = reader.U32(),
        HighByzantinePercent = reader.U32(),
        ElevatedStabilityPpm = reader.U32(),
        HighStabilityPpm = reader.U32(),
        ActivationDelay = reader.U64(),
        StabilityWindowRounds = reader.U32(),
    };

    private ref struct SnapshotWriter(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;
        private int _position;

        public void U64(ulong value)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_destination[_position..], value);
            _position += 8;
        }

        public void U32(uint value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_destination[_position..], value);
            _position += 4;
        }

        public void Byte(byte value) => _destination[_position++] = value;

        public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);
    }

    private ref struct SnapshotReader(ReadOnlySpan<byte> source)
    {
        private readonly ReadOnlySpan<byte> _source = source;
        private int _position;

        public readonly bool AtEnd => _position == _source.Length;

        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

        public byte Byte() => Take(1)[0];

        public bool Bool() => Byte() switch
        {
            0 => false,
            1 => true,
            var other => throw new FormatException($"Invalid adaptive quorum snapshot: {other} is not a boolean."),
        };

        public ThreatLevel Level()
        {
            var value = Byte();
            Expect(value <= (byte)ThreatLevel.High, "unknown threat level");
            return (ThreatLevel)value;
        }

        /// <summary>A count of items of <paramref name="itemSize"/> bytes that must fit in what is left (no huge allocation from a bad count).</summary>
        public int Count(int itemSize)
        {
            var count = U32();
            Expect(count <= (uint)((_source.Length - _position) / itemSize), "a count larger than the bytes left");
            return (int)count;
        }

        private ReadOnlySpan<byte> Take(int size)
        {
            Expect(_source.Length - _position >= size, "truncated");
            var slice = _source.Slice(_position, size);
            _position += size;
            return slice;
        }
    }
}
