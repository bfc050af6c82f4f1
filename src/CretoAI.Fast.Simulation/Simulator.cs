using System.Buffers.Binary;
using CretoAI.Fast.Consensus.Certificates;
using CretoAI.Fast.Consensus.Engine;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Simulation;

/// <summary>
/// Runs many consensus engines in one thread on a virtual clock. All nondeterminism — delays,
/// drops, duplicates, partitions, crashes, Byzantine choices, transaction arrival — comes from one
/// seeded PRNG, and events are ordered by (time, sequence), so a seed replays bit for bit.
/// A run has a faulty phase, then a heal (partitions end, crashed nodes restart, no more drops),
/// after which every honest node must commit new blocks within a bounded number of rounds.
/// </summary>
public sealed class Simulator
{
    private readonly SimulationOptions _options;
    private readonly DeterministicRandom _random;
    private readonly PriorityQueue<SimulationEvent, (long Time, long Sequence)> _queue = new();
    private readonly List<SimulatedNode> _nodes = [];
    private readonly List<(int To, ConsensusMessage Message)> _extra = [];
    private readonly Hash32 _chainId;
    private readonly ConsensusConfig _honestConfig;
    private readonly ConsensusConfig _byzantineConfig;
    private readonly InvariantChecker _checker;
    private readonly int _validatorCount;
    private long _sequence;
    private long _now;
    private bool _healed;
    private int[]? _partition;
    private long _delivered;
    private long _evidence;
    private long _txCounter;
    private double _latencySum;
    private long _latencyCount;
    private ulong _healRound;
    private Dictionary<int, ulong> _healHeights = [];

    public Simulator(SimulationOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _random = new DeterministicRandom(options.Seed);
        Span<byte> seedBytes = stackalloc byte[16];
        "cretoai-sim"u8.CopyTo(seedBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(seedBytes[12..], (uint)options.Seed);
        _chainId = Sha3.Hash256(seedBytes);
        _validatorCount = options.Nodes;
        var validators = new List<Validator>();
        for (var i = 0; i < options.Nodes; i++)
        {
            var signer = SimulationKeys.Signer(options.Scheme, i);
            validators.Add(new Validator(signer.NodeId, signer.PublicKey, options.Weights[i]));
        }

        var set = new ValidatorSet(0, validators);
        _honestConfig = new ConsensusConfig
        {
            ChainId = _chainId,
            Validators = set,
            BaseRoundTimeout = options.BaseRoundTimeout,
            MaxBackoffExponent = options.MaxBackoffExponent,
            TestOnlyRuleBreak = options.TestOnlyRuleBreak,
        };
        _byzantineConfig = new ConsensusConfig
        {
            ChainId = _chainId,
            Validators = set,
            BaseRoundTimeout = options.BaseRoundTimeout,
            MaxBackoffExponent = options.MaxBackoffExponent,
        };
        for (var i = 0; i < options.Nodes; i++)
        {
            var strategy = options.Byzantine.TryGetValue(i, out var s) ? s : (ByzantineStrategy?)null;
            _nodes.Add(new SimulatedNode(i, i, SimulationKeys.Signer(options.Scheme, i), strategy, i == options.TwinIndex));
        }

        if (options.TwinIndex >= 0)
        {
            _nodes.Add(new SimulatedNode(options.Nodes, options.TwinIndex, SimulationKeys.Signer(options.Scheme, options.TwinIndex), null, isTwin: true));
        }

        var genesis = Block.Genesis(_chainId, 0);
        _checker = new InvariantChecker(new CertificateVerifier(_chainId, set, FixedThreatLevel.Normal, SimulationKeys.Verifier(options.Scheme), genesis.Id), genesis.Id);
    }

    internal IReadOnlyList<SimulatedNode> Nodes => _nodes;

    public static SimulationResult Run(SimulationOptions options) => new Simulator(options).Run();

    public SimulationResult Run()
    {
        foreach (var node in _nodes)
        {
            StartEngine(node);
        }

        Schedule(_options.FaultPhase, new SimulationEvent(SimulationEventKind.Heal, -1, -1, null, 0, 0));
        Schedule(100, new SimulationEvent(SimulationEventKind.Offer, -1, -1, null, 0, 0));
        var partitions = _options.Faults.HasFlag(FaultMix.Partition) || _options.TwinIndex >= 0;
        if (partitions)
        {
            Schedule(_random.Next(0, 2000), new SimulationEvent(SimulationEventKind.Repartition, -1, -1, null, 0, 0));
        }

        if (_options.Faults.HasFlag(FaultMix.Crash))
        {
            var crashes = 1 + _random.Next(3);
            for (var c = 0; c < crashes; c++)
            {
                Schedule(_random.Next(500, _options.FaultPhase), new SimulationEvent(SimulationEventKind.Crash, _random.Next(_nodes.Count), -1, null, 0, 0));
            }
        }

        long events = 0;
        ulong recovered = 0;
        string? violation = null;
        while (_queue.TryDequeue(out var e, out var at))
        {
            _now = at.Time;
            events++;
            Process(e);
            violation = _checker.Violation;
            if (violation is not null)
            {
                break;
            }

            if (_healed && events % 8 == 0)
            {
                var maxRound = MaxHonestRound();
                if (HonestCaughtUp())
                {
                    recovered = maxRound - _healRound;
                    break;
                }

                if (maxRound > _healRound + (ulong)_options.LivenessRoundBudget)
                {
                    violation = $"liveness: after the heal at t={_options.FaultPhase} (round {_healRound}) honest nodes reached round {maxRound} without every one committing {_options.RequiredCommitsAfterHeal} new blocks (heights {HonestHeights()}).";
                    break;
                }
            }

            if (events >= _options.MaxEvents)
            {
                violation = $"liveness: no recovery within {_options.MaxEvents} events (t={_now}, heights {HonestHeights()}).";
                break;
            }
        }

        if (violation is null && !_healed)
        {
            violation = "the simulation ran out of events before the heal.";
        }

        return new SimulationResult
        {
            Options = _options,
            Violation = violation,
            Events = events,
            MessagesDelivered = _delivered,
            MinHonestHeight = _nodes.Where(n => n.IsHonest).Select(n => n.CommittedHeight).DefaultIfEmpty(0UL).Min(),
            MaxRound = MaxHonestRound(),
            RoundsToRecover = recovered,
            CommitLatencyRounds = _latencyCount == 0 ? 0 : _latencySum / _latencyCount,
            EvidenceFound = _evidence,
            VirtualTime = _now,
        };
    }

    private void Process(in SimulationEvent e)
    {
        switch (e.Kind)
        {
            case SimulationEventKind.Deliver:
                {
                    var node = _nodes[e.Instance];
                    if (node.Engine is null)
                    {
                        return;
                    }

                    _delivered++;
                    if (node.Strategy is not null)
                    {
                        Remember(node, e.Message!);
                    }

                    Step(node, ConsensusInput.Received(e.From, e.Message!, _now));
                    break;
                }

            case SimulationEventKind.Timer:
                {
                    var node = _nodes[e.Instance];
                    if (node.Engine is not null && e.Generation == node.TimerGeneration)
                    {
                        Step(node, ConsensusInput.TimerFired(e.Round, _now));
                    }

                    break;
                }

            case SimulationEventKind.Crash:
                {
                    var node = _nodes[e.Instance];
                    if (!_healed && node.Engine is not null)
                    {
                        node.Engine = null; // everything not persisted is gone
                        var restart = Math.Min(_now + _random.Next(300, 4000), _options.FaultPhase);
                        Schedule(restart, new SimulationEvent(SimulationEventKind.Restart, e.Instance, -1, null, 0, 0));
                    }

                    break;
                }

            case SimulationEventKind.Restart:
                if (_nodes[e.Instance].Engine is null)
                {
                    StartEngine(_nodes[e.Instance]);
                }

                break;

            case SimulationEventKind.Repartition:
                if (!_healed)
                {
                    _partition = NewPartition();
                    Schedule(_now + _random.Next(1000, 4000), e);
                }

                break;

            case SimulationEventKind.Heal:
                _healed = true;
                _partition = null;
                foreach (var node in _nodes)
                {
                    if (node.Engine is null)
                    {
                        StartEngine(node);
                    }
                }

                _healRound = MaxHonestRound();
                _healHeights = _nodes.Where(n => n.IsHonest).ToDictionary(n => n.Instance, n => n.CommittedHeight);
                break;

            case SimulationEventKind.Offer:
                {
                    var node = _nodes[_random.Next(_nodes.Count)];
                    if (node.Engine is not null)
                    {
                        var tx = _options.TransactionSource?.Invoke(_txCounter);
                        if (tx is null)
                        {
                            tx = new byte[16];
                            BinaryPrimitives.WriteInt64LittleEndian(tx, _txCounter);
                            BinaryPrimitives.WriteInt64LittleEndian(tx.AsSpan(8), node.Instance);
                        }

                        _txCounter++;
                        Step(node, ConsensusInput.Offered([tx], _now));
                    }

                    Schedule(_now + _random.Next(100, 500), e);
                    break;
                }
        }
    }

    private void StartEngine(SimulatedNode node)
    {
        var config = node.IsHonest ? _honestConfig : _byzantineConfig;
        node.Engine = new ConsensusEngine(config, node.Signer, SimulationKeys.Verifier(_options.Scheme), node.PersistedSafety, node.PersistedTip, node.PersistedBlocks.Values);
        node.Outputs.Clear();
        node.Engine.Start(_now, node.Outputs);
        Dispatch(node);
    }

    private void Step(SimulatedNode node, in ConsensusInput input)
    {
        node.Outputs.Clear();
        node.Engine!.Step(input, node.Outputs);
        Dispatch(node);
    }

    private void Dispatch(SimulatedNode node)
    {
        _extra.Clear();
        ByzantineBehavior.Transform(node, node.Outputs, _chainId, _random, _validatorCount, _extra, _now);
        foreach (var output in node.Outputs)
        {
            switch (output)
            {
                case PersistSafetyState persist:
                    node.PersistedSafety = persist.State;
                    break;
                case PersistBlock persist:
                    node.PersistedBlocks.TryAdd(persist.Block.Id, persist.Block);
                    break;
                case SendMessage send:
                    SendToValidator(node, send.To, send.Message);
                    break;
                case BroadcastMessage broadcast:
                    foreach (var other in _nodes)
                    {
                        if (other.Instance != node.Instance)
                        {
                            Transmit(node, other, broadcast.Message);
                        }
                    }

                    break;
                case SetTimer timer:
                    Schedule(timer.FireAt, new SimulationEvent(SimulationEventKind.Timer, node.Instance, -1, null, timer.Round, ++node.TimerGeneration));
                    break;
                case BlockCommitted committed:
                    node.PersistedTip = committed.Block;
                    node.PersistedBlocks.TryAdd(committed.Block.Id, committed.Block);
                    _checker.OnCommit(node, committed.Block, committed.Certificate, _now);
                    if (node.IsHonest)
                    {
                        _latencySum += node.Engine!.Round - committed.Block.Round;
                        _latencyCount++;
                        _options.OnHonestCommit?.Invoke(node.Instance, committed);
                    }

                    break;
                case EvidenceFound found:
                    _evidence++;
                    if (IsHonestValidator(found.Evidence.ValidatorIndex))
                    {
                        // Evidence carries two valid signatures by one key: an honest validator named in it
                        // signed two statements for one round, which the engine must never do (even across a crash).
                        _checker.Fail($"t={_now}: node {node.Instance} found equivocation evidence against honest validator {found.Evidence.ValidatorIndex} ({found.Evidence.Kind}, round {found.Evidence.Round}).");
                    }

                    break;
                case SafetyAlarm alarm when node.IsHonest:
                    _checker.Fail($"t={_now}: honest node {node.Instance} raised a safety alarm: {alarm.Reason} committed {alarm.Committed}, conflicting {alarm.Conflicting}.");
                    break;
                default:
                    break;
            }
        }

        foreach (var (to, message) in _extra)
        {
            SendToValidator(node, to, message);
        }
    }

    private void SendToValidator(SimulatedNode from, int validator, ConsensusMessage message)
    {
        foreach (var target in _nodes)
        {
            if (target.ValidatorIndex == validator && target.Instance != from.Instance)
            {
                Transmit(from, target, message);
            }
        }
    }

    private void Transmit(SimulatedNode from, SimulatedNode to, ConsensusMessage message)
    {
        if (!_healed)
        {
            if (_partition is not null && _partition[from.Instance] != _partition[to.Instance])
            {
                return;
            }

            if (_options.Faults.HasFlag(FaultMix.Drop) && _random.Chance(_options.DropPerMille))
            {
                return;
            }
        }

        var delivery = new SimulationEvent(SimulationEventKind.Deliver, to.Instance, from.ValidatorIndex, message, 0, 0);
        Schedule(_now + Delay(), delivery);
        if (!_healed && _options.Faults.HasFlag(FaultMix.Duplicate) && _random.Chance(_options.DuplicatePerMille))
        {
            Schedule(_now + Delay(), delivery);
        }
    }

    private long Delay()
    {
        var delay = _random.Next(_options.MinDelay, _options.MaxDelay + 1);
        if (!_healed && (_options.Faults & (FaultMix.Delay | FaultMix.Reorder)) != FaultMix.None && _random.Chance(300))
        {
            delay += _random.Next(0, _options.FaultDelay);
        }

        return delay;
    }

    private int[] NewPartition()
    {
        var groups = new int[_nodes.Count];
        var count = 2 + _random.Next(2);
        for (var i = 0; i < groups.Length; i++)
        {
            groups[i] = _random.Next(count);
        }

        if (_options.TwinIndex >= 0)
        {
            // Twins: the two instances of one key always sit on different sides, so each side can be
            // led into a different history — the equivocation and lost-lock cases honest code must survive.
            var twin = _nodes.Count - 1;
            groups[twin] = (groups[_options.TwinIndex] + 1) % count;
        }

        return groups;
    }

    private void Remember(SimulatedNode node, ConsensusMessage message)
    {
        if (node.Heard.Count < 256)
        {
            node.Heard.Add(message);
        }
        else
        {
            node.Heard[_random.Next(256)] = message;
        }

        if (message is Proposal p && (node.SeenQcs.Count == 0 || p.Block.Qc.Round > node.SeenQcs[^1].Round))
        {
            node.SeenQcs.Add(p.Block.Qc);
        }
    }

    private bool IsHonestValidator(int validator) => validator != _options.TwinIndex && !_options.Byzantine.ContainsKey(validator);

    private void Schedule(long time, in SimulationEvent e) => _queue.Enqueue(e, (time, _sequence++));

    private ulong MaxHonestRound()
    {
        ulong max = 0;
        foreach (var node in _nodes)
        {
            if (node.IsHonest && node.Engine is { } engine)
            {
                max = Math.Max(max, engine.Round);
            }
        }

        return max;
    }

    private bool HonestCaughtUp()
    {
        foreach (var node in _nodes)
        {
            if (node.IsHonest && node.CommittedHeight < _healHeights[node.Instance] + (ulong)_options.RequiredCommitsAfterHeal)
            {
                return false;
            }
        }

        return true;
    }

    private string HonestHeights() => string.Join(",", _nodes.Where(n => n.IsHonest).Select(n => $"{n.Instance}:{n.CommittedHeight}"));
}
