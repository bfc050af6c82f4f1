using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using CretoAI.Fast.Consensus.Certificates;
using CretoAI.Fast.Consensus.Engine;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Messages.Codec;
using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Wire;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// The consensus thread: the only thread that touches the engine. It waits for input (a verified
/// message, new transactions, the round timer), steps the engine, and carries out the outputs in
/// the engine's order with one rule on top: everything to persist (safety state, voted and
/// committed blocks) is appended to the WAL and made durable with one commit before any message
/// from the same batch of steps leaves the node. Committed blocks then go to the apply thread.
/// </summary>
public sealed partial class ValidatorNode
{
    private const int MaxInputsPerTurn = 512;
    private const long ReofferAfterMs = 5_000;
    private const int CertificateVerifierUses = 20_000;

    [ThreadStatic]
    private static byte[]? _threadFrameCopy;

    private readonly ConcurrentQueue<DriverInput> _driverInputs = new();
    private readonly AutoResetEvent _driverSignal = new(false);
    private readonly ThreadLocal<(CertificateVerifier Verifier, int Uses)> _preverifiers = new();
    private readonly RoundMessages _roundMessages = new();
    private readonly HeldMessages _heldWhilePaused;

    // The consensus thread's encode buffer, kept across batches: a fresh one per batch grew from
    // 4 KB to the block size by doubling, each step a new large-object array the kernel had to
    // fault in (a profile of a loaded cluster showed this as a top cost of the consensus thread).
    private readonly ArrayBufferWriter<byte> _carryWriter = new(1 << 20);

    // Arrays for encoded messages on their way to the links (see SharedPayload): power-of-two sizes
    // up to 16 MiB, a few of each kept, so a proposal reuses warm memory instead of a fresh array.
    private readonly ArrayPool<byte> _payloadPool = ArrayPool<byte>.Create(16 << 20, 8);
    private Thread? _driverThread;
    private ConsensusEngine? _engine;
    private ulong _timerRound;
    private long _timerAt = long.MaxValue;
    private long _lastNow;
    private int _engineQueued;
    private volatile bool _paused;
    private volatile SafetyState? _lastSafety;
    private long _maxSeenQcHeight;
    private ulong _walHeight;
    private volatile Exception? _fatal;

    private enum DriverInputKind
    {
        None = 0,
        Message = 1,
        Rebuild = 2,
        Wake = 3,
        LinkUp = 4,
    }

    private long NowMs()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (now < _lastNow)
        {
            now = _lastNow;
        }

        _lastNow = now;
        return now;
    }

    private void StartDriverThread()
    {
        _driverThread = new Thread(DriverLoop) { Name = "cretoai-consensus", IsBackground = true };
        _driverThread.Start();
    }

    /// <summary>Called by receive paths (thread pool) with a message whose signatures were already checked.</summary>
    private void EnqueueMessage(int from, ConsensusMessage message)
    {
        _driverInputs.Enqueue(new DriverInput(DriverInputKind.Message, from, message));
        _driverSignal.Set();
    }

    /// <summary>Called by a validator link (thread pool) when our link to validator <paramref name="index"/> comes up.</summary>
    private void OnLinkUp(int index)
    {
        _driverInputs.Enqueue(new DriverInput(DriverInputKind.LinkUp, index, null));
        _driverSignal.Set();
    }

    private ConsensusEngine CreateEngine(SafetyState? safety, Block? tip, IEnumerable<Block> voted) =>
        new(_config, new MLDsa87ConsensusSigner(_identity), _signatures.Engine, safety, tip, voted);

    private void DriverLoop()
    {
        var outputs = new List<ConsensusOutput>();
        try
        {
            _engine = CreateEngine(_recoveredSafety, _recoveredTip, VotedAbove(_recoveredTip?.Height ?? 0));
            _lastSafety = _engine.Safety;
            _engine.Start(NowMs(), outputs);
            Carry(outputs);
            while (!_stopping.IsCancellationRequested)
            {
                var wait = _timerAt == long.MaxValue ? 200 : Math.Clamp(_timerAt - NowMs(), 0, 200);
                if (wait > 0)
                {
                    _driverSignal.WaitOne((int)wait);
                }

                if (_stopping.IsCancellationRequested)
                {
                    break;
                }

                var now = NowMs();
                if (!_paused)
                {
                    StepHeldMessages(now, outputs);
                }

                var inputs = 0;
                while (inputs < MaxInputsPerTurn && _driverInputs.TryDequeue(out var input))
                {
                    inputs++;
                    switch (input.Kind)
                    {
                        case DriverInputKind.Message when _paused:
                            if (KeptForItsRound(input.Message!))
                            {
                                _heldWhilePaused.Hold(input.From, input.Message!);
                            }

                            break;
                        case DriverInputKind.Message:
                            StepHeldMessages(now, outputs); // older than this one
                            _engine.Step(ConsensusInput.Received(input.From, input.Message!, now), outputs);
                            break;
                        case DriverInputKind.Rebuild:
                            Carry(outputs);
                            _engine = CreateEngine(_engine.Safety, input.Tip, VotedAbove(input.Tip?.Height ?? 0));
                            _timerAt = long.MaxValue;
                            _engineQueued = 0;

                            // What the old engine sent is not sent again: the new one may propose
                            // another block in a round the old one proposed in.
                            _roundMessages.Clear();
                            _engine.Start(now, outputs);
                            _paused = false;
                            StepHeldMessages(now, outputs);
                            input.Done?.TrySetResult();
                            break;
                        case DriverInputKind.LinkUp:
                            SendRoundMessagesAgain(input.From);
                            break;
                    }
                }

                if (!_paused)
                {
                    if (now >= _timerAt)
                    {
                        var round = _timerRound;
                        _timerAt = long.MaxValue;
                        var timedOut = _engine.RoundsTimedOut;
                        _engine.Step(ConsensusInput.TimerFired(round, now), outputs);
                        if (_engine.RoundsTimedOut != timedOut)
                        {
                            _observer.RoundTimedOut();
                            _log.LogDebug("Round {Round} timed out; engine {State}.", round, _engine.DebugState);
                        }
                    }

                    var room = (2 * _config.MaxTransactionsPerBlock) - _engineQueued;
                    if (room > 0)
                    {
                        var offer = _mempool.TakeForOffer(room, now, ReofferAfterMs);
                        if (offer.Count > 0)
                        {
                            _engineQueued += offer.Count;
                            _engine.Step(ConsensusInput.Offered(offer, now), outputs);
                        }
                    }
                }

                Carry(outputs);
                _round = _engine.Round;
            }
        }
        catch (Exception ex) when (StopsTheNode(ex))
        {
            Fail("consensus thread", ex);
        }
        finally
        {
            _roundMessages.Clear();
        }
    }

    private void StepHeldMessages(long now, List<ConsensusOutput> outputs)
    {
        if (_heldWhilePaused.Count == 0)
        {
            return;
        }

        _log.LogDebug("Engine running again: stepping the {Count} consensus message(s) received while it was paused for catch-up ({Dropped} older ones dropped).", _heldWhilePaused.Count, _heldWhilePaused.Dropped);
        _heldWhilePaused.Drain((from, message) => _engine!.Step(ConsensusInput.Received(from, message, now), outputs));
    }

    /// <summary>
    /// Sends validator <paramref name="index"/>, whose link just came up, the messages of this round
    /// and the last it was meant to have: while the link was down they were not queued for it.
    /// </summary>
    private void SendRoundMessagesAgain(int index)
    {
        _roundMessages.EnterRound(_engine!.Round);
        var sent = 0;
        foreach (var payload in _roundMessages.For(index))
        {
            if (_links!.Send(index, MessageType.ConsensusMessage, 0, payload))
            {
                sent++;
            }
        }

        if (sent > 0)
        {
            _log.LogDebug("Link to validator {Index} came up in round {Round}: sent it again the {Count} message(s) of this round and the last that it missed.", index, _roundMessages.Round, sent);
        }
    }

    /// <summary>A kept message's key (<see cref="RoundMessages.Keep"/>): one proposal, vote and timeout per round; evidence has none.</summary>
    private static (byte Kind, ulong Round) KeyOf(ConsensusMessage message) => message switch
    {
        Proposal p => (1, p.Round),
        Vote v => (2, v.Round),
        TimeoutMessage t => (3, t.Round),
        _ => default,
    };

    /// <summary>
    /// The round's own messages (proposal, vote, timeout, evidence): kept to send again to a peer
    /// whose link comes up, and held while the engine is paused. Sync traffic (block requests and
    /// responses, up to a frame of blocks) is neither: it answers a moment that has passed.
    /// </summary>
    private static bool KeptForItsRound(ConsensusMessage message) => message is not (BlockRequest or BlockResponse);

    /// <summary>
    /// The failures of storage and of the node's own invariants that end the consensus thread, the apply
    /// thread or a checkpoint being written: the node then stops (<see cref="Fail"/>) rather than go on
    /// with state it can no longer trust.
    /// </summary>
    private static bool StopsTheNode(Exception ex) =>
        ex is StorageException or IOException or InvalidOperationException or ArgumentException;

    private void Fail(string where, Exception ex)
    {
        _fatal = ex;
        _log.LogCritical(ex, "The {Where} stopped: {Message}. The node can no longer take part safely and is shutting down; restart it to recover from its data directory.", where, ex.Message);
        _stopping.Cancel();
        _driverSignal.Set();
    }

    /// <summary>Carries out one batch of engine outputs: persist and commit the WAL once, then send, then hand commits to the apply thread.</summary>
    private void Carry(List<ConsensusOutput> outputs)
    {
        if (outputs.Count == 0)
        {
            return;
        }

        var wal = _storage!.Wal;
        var dirty = false;
        List<(int To, SharedPayload Payload, ConsensusMessage Message)>? sends = null;
        List<(SharedPayload Payload, ConsensusMessage Message)>? broadcasts = null;
        List<ApplyItem>? commits = null;
        var writer = _carryWriter;
        foreach (var output in outputs)
        {
            switch (output)
            {
                case PersistSafetyState s:
                    wal.Append(WalRecordKind.SafetyState, EncodeSafety(s.State));
                    _lastSafety = s.State;
                    dirty = true;
                    break;
                case PersistBlock b:
                    writer.ResetWrittenCount();
                    ConsensusCodec.Write(writer, new BlockResponse(b.Block.Epoch, [b.Block]));
                    wal.Append(WalRecordKind.VotedBlock, writer.WrittenSpan);
                    _votedAboveTip[b.Block.Id] = b.Block;
                    dirty = true;
                    break;
                case BlockCommitted c:
                    {
                        writer.ResetWrittenCount();
                        long address;
                        if (_votedAboveTip.ContainsKey(c.Block.Id))
                        {
                            // The block is in this WAL already (its voted record): record the commit
                            // by its certificate alone, not a second full copy (up to a few MiB).
                            // Added before the voted entry is forgotten below, so a checkpoint always
                            // finds the block in one of the two sets and writes it again.
                            _committedUnapplied[c.Block.Id] = c.Block;
                            CommittedBlockCodec.WriteCertificate(writer, c.Certificate);
                            address = wal.Append(WalRecordKind.CommittedCertificate, writer.WrittenSpan);
                        }
                        else
                        {
                            CommittedBlockCodec.Write(writer, c.Block, c.Certificate);
                            address = wal.Append(WalRecordKind.Block, writer.WrittenSpan);
                        }

                        _walHeight = c.Block.Height;
                        (commits ??= []).Add(new ApplyItem(c.Block, c.Certificate, null, address, Stopwatch.GetTimestamp()));
                        dirty = true;
                        break;
                    }

                case SendMessage m:
                    (sends ??= []).Add((m.To, EncodeForLink(writer, m.Message), m.Message));
                    break;
                case BroadcastMessage m:
                    if (m.Message is Proposal p && p.Block.ProposerIndex == _me)
                    {
                        _engineQueued = Math.Max(0, _engineQueued - p.Block.Transactions.Count);
                    }

                    (broadcasts ??= []).Add((Encode(writer, m.Message), m.Message));
                    break;
                case SetTimer t:
                    _timerRound = t.Round;
                    _timerAt = t.FireAt;
                    break;
                case EvidenceFound e:
                    _observer.EvidenceAccepted();
                    _log.LogWarning("Equivocation evidence: {Evidence}. It goes into the next block this node proposes.", e.Evidence);
                    break;
                case SafetyAlarm a:
                    _observer.ForkDetected();
                    _log.LogCritical("SAFETY ALARM: {Reason} committed {Committed}, conflicting {Conflicting}.", a.Reason, a.Committed, a.Conflicting);
                    break;
            }
        }

        outputs.Clear();
        if (commits is not null)
        {
            ForgetVotedAtOrBelow(commits[^1].Block.Height);
        }

        if (dirty)
        {
            var clock = Stopwatch.StartNew();
            wal.Commit();
            _observer.WalSynced(0, clock.Elapsed.TotalSeconds);
        }

        _roundMessages.EnterRound(_engine!.Round);
        if (sends is not null)
        {
            foreach (var (to, payload, message) in sends)
            {
                var queued = _links!.Send(to, MessageType.ConsensusMessage, 0, payload);
                TraceSent(to, queued ? 1 : 0);
                if (KeptForItsRound(message))
                {
                    _roundMessages.Keep(to, payload, KeyOf(message));
                }

                payload.Release();
            }
        }

        if (broadcasts is not null)
        {
            foreach (var (payload, message) in broadcasts)
            {
                var queued = _links!.Broadcast(MessageType.ConsensusMessage, payload);
                TraceSent(-1, queued);
                if (KeptForItsRound(message))
                {
                    _roundMessages.Keep(RoundMessages.Everyone, payload, KeyOf(message));
                }

                payload.Release();
            }
        }

        if (commits is not null)
        {
            foreach (var item in commits)
            {
                _applyQueue.Add(item);
            }
        }
    }

    /// <summary>
    /// Encodes a message for a validator link, within the frame limit: a block response names the
    /// requested block first and then its ancestors, so an oversized one keeps the longest prefix
    /// that fits (the requester asks again for the parent of the oldest block it got).
    /// </summary>
    private SharedPayload EncodeForLink(ArrayBufferWriter<byte> writer, ConsensusMessage message) =>
        Encode(writer, message is BlockResponse response ? FitToFrame(response, _settings.MaxFramePayloadBytes) : message);

    /// <summary>
    /// The longest prefix of <paramref name="response"/> whose encoding fits
    /// <paramref name="maxPayloadBytes"/>, and never fewer than one block (a lone block over the limit
    /// is left for the link to refuse). Measured, not encoded: a response of 33 blocks of a few MiB
    /// each was encoded whole and then again at each halving, tens of MiB of fresh memory for a
    /// frame of a few.
    /// </summary>
    internal static BlockResponse FitToFrame(BlockResponse response, int maxPayloadBytes)
    {
        var blocks = response.Blocks;
        long length = ConsensusCodec.BlockResponseHeaderBytes;
        var count = 0;
        while (count < blocks.Count)
        {
            length += ConsensusCodec.EncodedLength(blocks[count]);
            if (length > maxPayloadBytes && count > 0)
            {
                break;
            }

            count++;
        }

        if (count == blocks.Count)
        {
            return response;
        }

        var kept = new Block[count];
        for (var i = 0; i < count; i++)
        {
            kept[i] = blocks[i];
        }

        return new BlockResponse(response.Epoch, kept);
    }

    /// <summary>Encodes into the consensus thread's writer, then copies into a pooled payload the links share.</summary>
    private SharedPayload Encode(ArrayBufferWriter<byte> writer, ConsensusMessage message)
    {
        writer.ResetWrittenCount();
        ConsensusCodec.Write(writer, message);
        return SharedPayload.CopyOf(writer.WrittenSpan, _payloadPool);
    }

    /// <summary>
    /// Receive path for a validator's consensus frame (thread pool): decode, check every
    /// signature it carries (remembered for the engine), note how far ahead the sender is, queue it.
    /// </summary>
    /// <summary>
    /// Decodes a consensus frame on the receiving thread, straight from the receive buffer when the
    /// frame is in one piece (the decoder copies out what it keeps), else from a pooled copy: a
    /// proposal is up to a few MiB, and a fresh array per proposal per follower was a large-object
    /// allocation the kernel had to fault in and the runtime had to zero.
    /// </summary>
    private void OnConsensusFrame(int from, in ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
        {
            OnConsensusFrame(from, payload.FirstSpan);
            return;
        }

        // A proposal spans many receive-buffer segments, so it is copied into one span first: into
        // a buffer kept per receiving thread (frames are bounded by the frame limit, and the shared
        // array pool does not keep arrays of proposal size, so renting from it allocated each time).
        // Frames over 4 MiB (block responses near the frame limit) get a one-off array, so no
        // thread keeps more than 4 MiB.
        var length = checked((int)payload.Length);
        var buffer = _threadFrameCopy;
        if (buffer is null || buffer.Length < length)
        {
            buffer = GC.AllocateUninitializedArray<byte>(Math.Max(length, 1 << 20));
            if (buffer.Length <= 4 << 20)
            {
                _threadFrameCopy = buffer;
            }
        }

        payload.CopyTo(buffer);
        OnConsensusFrame(from, buffer.AsSpan(0, length));
    }

    private void OnConsensusFrame(int from, ReadOnlySpan<byte> payload)
    {
        if (ConsensusCodec.TryRead(payload, CodecLimits, out var message) != ConsensusDecodeError.None || message is null)
        {
            Interlocked.Increment(ref _rejectedMessages);
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(
            static state => state.Node.Preverify(state.From, state.Message),
            (Node: this, From: from, Message: message),
            preferLocal: false);
    }

    private void Preverify(int from, ConsensusMessage message)
    {
        var (verifier, uses) = _preverifiers.Value;
        if (verifier is null || uses >= CertificateVerifierUses)
        {
            verifier = new CertificateVerifier(_chainId, _validators, _config.ThreatLevels, _signatures.Recording, _genesisId);
            uses = 0;
        }

        _preverifiers.Value = (verifier, uses + 1);
        var clock = Stopwatch.StartNew();
        var ok = message switch
        {
            Proposal p => verifier.VerifyProposal(p) && verifier.VerifyQc(p.Block.Qc) && (p.LastRoundTc is null || verifier.VerifyTc(p.LastRoundTc)),
            Vote v => verifier.VerifyVote(v),
            TimeoutMessage t => verifier.VerifyTimeout(t) && verifier.VerifyQc(t.HighQc) && (t.LastRoundTc is null || verifier.VerifyTc(t.LastRoundTc)),
            EvidenceMessage e => verifier.VerifyEvidence(e.Evidence),
            _ => true, // block requests carry no signature; responses are checked by the engine against what it asked for
        };
        _observer.SignaturesVerified(1, ok ? 0 : 1, clock.Elapsed.TotalSeconds);
        if (_log.IsEnabled(LogLevel.Trace))
        {
            _log.LogTrace("Received {Message} from validator {From}: {Verdict}.", Describe(message), from, ok ? "signatures valid" : "REJECTED, a signature or certificate does not verify");
        }

        if (!ok)
        {
            Interlocked.Increment(ref _rejectedMessages);
            return;
        }

        var qcHeight = message switch
        {
            Proposal p => p.Block.Qc.Height,
            TimeoutMessage t => t.HighQc.Height,
            _ => 0UL,
        };
        if (qcHeight > 0)
        {
            InterlockedMax(ref _maxSeenQcHeight, (long)qcHeight);
        }

        EnqueueMessage(from, message);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private long _rejectedMessages;

    private void TraceSent(int to, int queued)
    {
        if (_log.IsEnabled(LogLevel.Trace))
        {
            var peers = to < 0 ? _validators.Count - 1 : 1;
            _log.LogTrace(
                "Sent a message in round {Round} to {To}: queued for {Queued} of {Peers}{Down}; links up: [{Links}].",
                _engine!.Round,
                to < 0 ? "everyone" : $"validator {to}",
                queued,
                peers,
                queued < peers ? " (the others' links are down)" : "",
                string.Join(',', _links!.ConnectedIndexes));
        }
    }

    private static string Describe(ConsensusMessage message) => message switch
    {
        Proposal p => $"proposal r{p.Round} h{p.Block.Height} qc r{p.Block.Qc.Round}",
        Vote v => $"vote r{v.Round}",
        TimeoutMessage t => $"timeout r{t.Round}",
        _ => message.GetType().Name,
    };

    private readonly record struct DriverInput(DriverInputKind Kind, int From, ConsensusMessage? Message, Block? Tip = null, TaskCompletionSource? Done = null);
}
