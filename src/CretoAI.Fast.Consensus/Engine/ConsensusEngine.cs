using CretoAI.Fast.Consensus.Certificates;
using CretoAI.Fast.Consensus.Evidence;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Engine;

/// <summary>
/// Two-chain HotStuff (Jolteon / DiemBFT-v4) for one validator, written sans-IO: the driver feeds
/// <see cref="Step"/> inputs (a message, a fired timer, transactions) and carries out the outputs
/// (send, broadcast, set timer, persist safety state, commit, evidence) in order. No clock, thread,
/// socket or randomness inside: the same inputs give the same outputs, which is what lets the
/// simulator replay a seed exactly.
/// <para>Safety rules (docs/consensus.md): vote at most once per round, only in the current round,
/// only for a block whose QC is from the previous round or, after a TC, is at least as high as every
/// QC the TC's signers reported; the lock is the highest QC round seen; commit a block when it and
/// its child in the next round are both certified.</para>
/// </summary>
public sealed class ConsensusEngine
{
    private const int RoundsOfHistory = 4;

    /// <summary>
    /// Committed blocks kept below the committed tip, to answer peers' block requests for recent
    /// ancestors. Older ones are dropped: a node further behind than this catches up from the
    /// block archive (the node's sync path), and the engine itself never needs them again.
    /// </summary>
    public const int CommittedBlocksKept = 48;

    private readonly ConsensusConfig _config;
    private readonly ValidatorSet _validators;
    private readonly IConsensusSigner _signer;
    private readonly CertificateVerifier _certificates;
    private readonly int _me;
    private readonly Dictionary<Hash32, Block> _blocks = [];
    private readonly Dictionary<Hash32, List<(int From, Proposal Proposal)>> _waitingForParent = [];
    private int _waitingCount;
    private readonly Dictionary<Hash32, (ulong Round, ulong Height)> _wanted = [];
    private readonly Dictionary<Hash32, QuorumCertificate> _qcsWaitingForBlock = [];
    private readonly Dictionary<ulong, Proposal> _proposalsSeen = [];
    private readonly Dictionary<(ulong Round, int Voter), Vote> _votesSeen = [];
    private readonly Dictionary<(ulong Round, Hash32 Block, ulong Height), Dictionary<int, byte[]>> _votes = [];
    private readonly HashSet<ulong> _qcFormed = [];
    private readonly Dictionary<ulong, Dictionary<int, TimeoutMessage>> _timeouts = [];
    private readonly HashSet<ulong> _tcFormed = [];
    private readonly Dictionary<EvidenceKey, EquivocationEvidence> _pendingEvidence = [];
    private readonly HashSet<EvidenceKey> _knownEvidence = [];
    private readonly Queue<byte[]> _mempool = new();
    private readonly Queue<(int From, ConsensusMessage Message)> _self = new();
    private readonly Dictionary<ulong, Block> _restoredProposals = [];

    private SafetyState _safety;
    private Block _committedTip;
    private (Hash32 Target, ulong Height, QuorumCertificate Certificate)? _commitTarget;
    private ulong _round;
    private int _roundsTimedOutInRow;
    private int _timerRepeats;
    private TimeoutCertificate? _enteredBy;
    private TimeoutMessage? _myTimeout;
    private long _now;
    private ICollection<ConsensusOutput> _out = [];
    private int _requestRotation;
    private Hash32 _lastProposed;

    // This node's latest proposal that carried transactions, until its round ends: if the round
    // ends by a timeout certificate with no QC for it, its transactions go back to the front of the
    // queue (they would otherwise wait for the node's re-offer, seconds later).
    private Block? _ownPending;
    private ulong _deferredRound;
    private long _roundDeadline;
    private int _quietCommits;

    /// <summary>
    /// Builds an engine. <paramref name="persisted"/>, <paramref name="committedTip"/> and
    /// <paramref name="persistedBlocks"/> (every block of a <see cref="PersistBlock"/> output, plus
    /// committed blocks the driver keeps) are what the driver made durable before a crash (null on
    /// first start); nothing else survives a restart.
    /// </summary>
    public ConsensusEngine(ConsensusConfig config, IConsensusSigner signer, IConsensusVerifier verifier, SafetyState? persisted = null, Block? committedTip = null, IEnumerable<Block>? persistedBlocks = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _config = config;
        _validators = config.Validators;
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _me = _validators.IndexOf(signer.NodeId);
        if (_me < 0)
        {
            throw new ArgumentException("The signer is not a validator of this epoch.", nameof(signer));
        }

        Genesis = Block.Genesis(config.ChainId, _validators.Epoch, config.GenesisTimeMs);
        _certificates = new CertificateVerifier(config.ChainId, _validators, config.ThreatLevels, verifier ?? throw new ArgumentNullException(nameof(verifier)), Genesis.Id);
        _blocks[Genesis.Id] = Genesis;
        _committedTip = committedTip ?? Genesis;
        _blocks[_committedTip.Id] = _committedTip;
        _safety = persisted ?? new SafetyState(_validators.Epoch, 0, 0, Block.GenesisQc(Genesis));
        if (_safety.Epoch != _validators.Epoch)
        {
            throw new ArgumentException("The persisted safety state belongs to another epoch.", nameof(persisted));
        }

        foreach (var block in persistedBlocks ?? [])
        {
            if (block.ChainId != config.ChainId || block.Epoch != _validators.Epoch)
            {
                throw new ArgumentException($"The persisted block {block} belongs to another chain or epoch.", nameof(persistedBlocks));
            }

            _blocks.TryAdd(block.Id, block);
            if (block.ProposerIndex == _me && block.Round > _safety.HighQc.Round)
            {
                _restoredProposals[block.Round] = block;
            }
        }
    }

    public Block Genesis { get; }

    public int Index => _me;

    public ulong Round => _round;

    /// <summary>Transactions of this node's own proposals that a timeout abandoned and that were queued again (since start).</summary>
    public long RequeuedTransactions { get; private set; }

    /// <summary>
    /// Times this node's round timer expired in the round it was in (since start): each expiry sends
    /// a timeout message, the first or a retransmission. The end of an idle leader's wait is not one.
    /// </summary>
    public long RoundsTimedOut { get; private set; }

    public SafetyState Safety => _safety;

    public Block CommittedTip => _committedTip;

    public CertificateVerifier Certificates => _certificates;

    /// <summary>Blocks this node knows but has not yet got (it is fetching them).</summary>
    public int WantedBlocks => _wanted.Count;

    public int KnownBlocks => _blocks.Count;

    public string DebugState => $"round={_round} lvr={_safety.LastVotedRound} hqc={_safety.HighQc.Round} committed={_committedTip.Height} target={_commitTarget?.Height} wanted={_wanted.Count} blocks={_blocks.Count} waiting={_waitingCount} qcsWaiting={_qcsWaitingForBlock.Count}";

    /// <summary>Messages dropped before any signature check (duplicates, stale rounds, wrong epoch).</summary>
    public long DroppedCheaply { get; private set; }

    /// <summary>Messages dropped because a signature, certificate or structural check failed.</summary>
    public long Rejected { get; private set; }

    /// <summary>Enters the first round (after genesis, or after the persisted state on restart).</summary>
    public void Start(long now, ICollection<ConsensusOutput> outputs)
    {
        Begin(now, outputs);
        // The highest round this node can prove (its QC's next), not its last voted round: a round
        // entered through a TC that died with the crash cannot be shown to anyone, and the others,
        // still in an earlier round, may need exactly this node's timeout for it to form their TC.
        // Voting is still barred up to LastVotedRound; timing out an earlier round again is safe
        // (rule 2 holds, and the timeout reports the current, never lower, highest QC).
        EnterRound(_safety.HighQc.Round + 1, null);
        Drain();
    }

    /// <summary>Processes one input, appending the effects to <paramref name="outputs"/> in the order they must be carried out.</summary>
    public void Step(in ConsensusInput input, ICollection<ConsensusOutput> outputs)
    {
        Begin(input.Now, outputs);
        switch (input.Kind)
        {
            case ConsensusInputKind.MessageReceived:
                Handle(input.From, input.Message!);
                break;
            case ConsensusInputKind.TimerFired:
                OnTimer(input.Round);
                break;
            case ConsensusInputKind.TransactionsOffered:
                foreach (var tx in input.Transactions!)
                {
                    if (_mempool.Count < _config.MaxPendingTransactions)
                    {
                        _mempool.Enqueue(tx);
                    }
                }

                if (_deferredRound == _round && _mempool.Count > 0)
                {
                    ProposeDeferred();
                }

                break;
        }

        Drain();
    }

    private void Begin(long now, ICollection<ConsensusOutput> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (now < _now)
        {
            throw new ArgumentOutOfRangeException(nameof(now), "Time went backwards.");
        }

        _now = now;
        _out = outputs;
    }

    private void Drain()
    {
        while (_self.TryDequeue(out var item))
        {
            Handle(item.From, item.Message);
        }
    }

    private void Handle(int from, ConsensusMessage message)
    {
        if (message.Epoch != _validators.Epoch || (uint)from >= (uint)_validators.Count)
        {
            DroppedCheaply++;
            return;
        }

        switch (message)
        {
            case Proposal p:
                OnProposal(from, p);
                break;
            case Vote v:
                OnVote(v);
                break;
            case TimeoutMessage t:
                OnTimeout(from, t);
                break;
            case EvidenceMessage e:
                OnEvidence(e.Evidence);
                break;
            case BlockRequest r:
                OnBlockRequest(from, r);
                break;
            case BlockResponse r:
                OnBlockResponse(from, r);
                break;
            default:
                Rejected++;
                break;
        }
    }

    // ---------------------------------------------------------------- proposals and voting

    private void OnProposal(int from, Proposal p)
    {
        var block = p.Block;
        if (block.Round < _round)
        {
            // Too late to vote; still take the block if we are fetching it (votes from others can
            // certify a block before its proposal arrives here).
            if (_wanted.ContainsKey(block.Id) && _certificates.VerifyProposal(p) && block.Height == block.Qc.Height + 1)
            {
                InsertBlock(from, block);
            }
            else
            {
                DroppedCheaply++;
            }

            return;
        }

        _proposalsSeen.TryGetValue(block.Round, out var first);
        if (first is not null && first.Block.Id == block.Id)
        {
            DroppedCheaply++;
            return;
        }

        if (block.ProposerIndex != _validators.LeaderOf(block.Round) || block.Height != block.Qc.Height + 1 || block.Qc.Round >= block.Round
            || block.Transactions.Count > _config.MaxTransactionsPerBlock || block.Evidence.Count > _config.MaxEvidencePerBlock
            || TransactionBytes(block.Transactions) > _config.MaxBlockTransactionBytes
            || (p.LastRoundTc is not null && p.LastRoundTc.Round + 1 != block.Round))
        {
            Rejected++;
            return;
        }

        // Verify everything before anything changes.
        if (!_certificates.VerifyProposal(p) || !_certificates.VerifyQc(block.Qc) || (p.LastRoundTc is not null && !_certificates.VerifyTc(p.LastRoundTc)))
        {
            Rejected++;
            return;
        }

        foreach (var e in block.Evidence)
        {
            if (!_certificates.VerifyEvidence(e))
            {
                Rejected++;
                return;
            }
        }

        if (first is not null)
        {
            RecordEvidence(new EquivocationEvidence(
                SignedKind.Proposal, block.Epoch, block.Round, block.ProposerIndex,
                new SignedStatement(first.Block.Height, first.Block.Id, first.Signature),
                new SignedStatement(block.Height, block.Id, p.Signature)));
            return;
        }

        _proposalsSeen[block.Round] = p;
        foreach (var e in block.Evidence)
        {
            _knownEvidence.Add(e.Key);
        }

        ObserveTc(from, p.LastRoundTc);
        ObserveQc(from, block.Qc);
        InsertBlock(from, block);
        if (!_blocks.ContainsKey(block.ParentId))
        {
            BufferUntilParent(from, p);
            return;
        }

        TryVote(p);
    }

    private void TryVote(Proposal p)
    {
        var block = p.Block;
        if (block.Round != _round || block.Round <= _safety.LastVotedRound || _myTimeout is not null)
        {
            return;
        }

        // The chain's clock: never below the parent's, never further ahead of ours than the allowed
        // drift (a proposer cannot push lock-up and decay periods forward). Checked here, where the
        // parent is known to be present.
        if (!_blocks.TryGetValue(block.ParentId, out var parent))
        {
            return;
        }

        if (block.TimestampMs < parent.TimestampMs || (_now >= 0 && block.TimestampMs > (ulong)_now + (ulong)_config.MaxClockDriftMs))
        {
            Rejected++;
            return;
        }

        var safe = block.Qc.Round + 1 == block.Round
            || (p.LastRoundTc is { } tc && tc.Round + 1 == block.Round && block.Qc.Round >= tc.MaxHighQcRound);
        if (!safe && _config.TestOnlyRuleBreak != SafetyRuleBreak.IgnoreLock)
        {
            return;
        }

        _safety = _safety with { LastVotedRound = block.Round };
        if (block.Id != _lastProposed)
        {
            _out.Add(new PersistBlock(block)); // our own proposal was persisted before it left
        }

        _out.Add(new PersistSafetyState(_safety));
        var signature = SigningDomain.SignBlockStatement(_signer, SignedKind.Vote, _config.ChainId, block.Epoch, block.Round, block.Height, block.Id);
        // Votes go to every validator, not only the next leader: each one forms the QC itself, so a
        // block is seen certified even when the next leader is Byzantine and withholds the QC. That
        // makes commits need two consecutive honest leaders instead of three.
        Broadcast(new Vote(block.Epoch, block.Round, block.Height, block.Id, _me, signature), toSelf: true);
    }

    private void OnVote(Vote v)
    {
        if (v.Round + 1 < _round || _qcFormed.Contains(v.Round))
        {
            // Stale, or this round's QC already exists: nothing the vote can change, so no signature work.
            DroppedCheaply++;
            return;
        }

        _votesSeen.TryGetValue((v.Round, v.VoterIndex), out var first);
        if (first is not null && first.BlockId == v.BlockId && first.Height == v.Height)
        {
            DroppedCheaply++;
            return;
        }

        if (!_certificates.VerifyVote(v))
        {
            Rejected++;
            return;
        }

        if (first is not null)
        {
            RecordEvidence(new EquivocationEvidence(
                SignedKind.Vote, v.Epoch, v.Round, v.VoterIndex,
                new SignedStatement(first.Height, first.BlockId, first.Signature),
                new SignedStatement(v.Height, v.BlockId, v.Signature)));
            return;
        }

        _votesSeen[(v.Round, v.VoterIndex)] = v;
        var key = (v.Round, v.BlockId, v.Height);
        if (!_votes.TryGetValue(key, out var votes))
        {
            votes = [];
            _votes[key] = votes;
        }

        votes[v.VoterIndex] = v.Signature;
        var level = _certificates.LevelAt(v.Height);
        ulong weight = 0;
        foreach (var voter in votes.Keys)
        {
            weight += _validators.WeightOf(voter);
        }

        if (!_validators.ReachesQuorum(weight, level))
        {
            return;
        }

        _qcFormed.Add(v.Round);
        var qc = CertificateBuilder.BuildQc(_validators, v.Round, v.Height, v.BlockId, votes, level);
        ObserveQc(_me, qc);
    }

    // ---------------------------------------------------------------- timeouts and the pacemaker

    private void OnTimer(ulong round)
    {
        if (round != _round)
        {
            return; // a timer of a round we already left
        }

        if (_deferredRound == round)
        {
            ProposeDeferred(); // the idle wait is over: an empty block keeps the chain (and clocks) moving
            return;
        }

        RoundsTimedOut++;
        LocalTimeout();
        _timerRepeats++;
        ArmTimer();
        RequestWantedBlocks(force: true);
    }

    private void LocalTimeout()
    {
        if (_myTimeout is { } mine && mine.Round == _round)
        {
            // Retransmit: the first copy may have been lost.
            Broadcast(mine, toSelf: false);
            return;
        }

        _safety = _safety with { LastVotedRound = Math.Max(_safety.LastVotedRound, _round) };
        _out.Add(new PersistSafetyState(_safety));
        var signature = SigningDomain.SignTimeout(_signer, _config.ChainId, _validators.Epoch, _round, _safety.HighQc.Round);
        var tc = _enteredBy is { } t && t.Round + 1 == _round ? t : null;
        _myTimeout = new TimeoutMessage(_validators.Epoch, _round, _safety.HighQc, _me, signature, tc);
        Broadcast(_myTimeout, toSelf: true);
    }

    private void OnTimeout(int from, TimeoutMessage t)
    {
        if (t.Round < _round || (_timeouts.TryGetValue(t.Round, out var seen) && seen.ContainsKey(t.VoterIndex)))
        {
            DroppedCheaply++;
            return;
        }

        if (!_certificates.VerifyTimeout(t) || !_certificates.VerifyQc(t.HighQc) || (t.LastRoundTc is not null && !_certificates.VerifyTc(t.LastRoundTc)))
        {
            Rejected++;
            return;
        }

        ObserveTc(from, t.LastRoundTc);
        ObserveQc(from, t.HighQc);
        if (t.Round < _round)
        {
            return;
        }

        if (!_timeouts.TryGetValue(t.Round, out seen))
        {
            seen = [];
            _timeouts[t.Round] = seen;
        }

        seen[t.VoterIndex] = t;
        ulong weight = 0;
        var highest = t.HighQc;
        foreach (var (voter, timeout) in seen)
        {
            weight += _validators.WeightOf(voter);
            if (timeout.HighQc.Round > highest.Round)
            {
                highest = timeout.HighQc;
            }
        }

        var level = _certificates.LevelAt(highest.Height + 1);

        // Enough weight that an honest validator is among them has given up on this round: join it,
        // so validators whose clocks drifted apart still produce a TC (Bracha-style amplification).
        if (t.Round >= _round && (_myTimeout is null || _myTimeout.Round < t.Round) && QuorumThreshold.ExceedsFaultBound(weight, _validators.TotalWeight, level))
        {
            if (t.Round > _round)
            {
                _round = t.Round;
                _enteredBy = null;
                _timerRepeats = 0;
                ArmTimer();
            }

            LocalTimeout();
            return; // our own timeout comes back through the self queue and re-runs the tally
        }

        if (_tcFormed.Contains(t.Round) || !_validators.ReachesQuorum(weight, level))
        {
            return;
        }

        _tcFormed.Add(t.Round);
        var tc = CertificateBuilder.BuildTc(_validators, t.Round, seen, level);
        ObserveTc(_me, tc);
    }

    private void ObserveTc(int from, TimeoutCertificate? tc)
    {
        if (tc is null)
        {
            return;
        }

        ObserveQc(from, tc.HighQc);
        RequeueIfAbandoned(tc.Round);
        if (tc.Round + 1 > _round)
        {
            _roundsTimedOutInRow++;
            EnterRound(tc.Round + 1, tc);
        }
    }

    /// <summary>
    /// A timeout certificate for <paramref name="round"/> ends this node's own proposal of that
    /// round (or earlier) unless a QC for it formed: its transactions are queued again, first.
    /// Should the block still be certified through a QC this node has not seen, a transaction may
    /// appear in a later block too; the ledger refuses such a repeat by its nonce.
    /// </summary>
    private void RequeueIfAbandoned(ulong round)
    {
        if (_ownPending is not { } own || own.Round > round)
        {
            return;
        }

        _ownPending = null;
        if (_qcFormed.Contains(own.Round) || _safety.HighQc.BlockId == own.Id)
        {
            return;
        }

        var rest = _mempool.ToArray();
        _mempool.Clear();
        foreach (var tx in own.Transactions)
        {
            _mempool.Enqueue(tx);
        }

        foreach (var tx in rest)
        {
            _mempool.Enqueue(tx);
        }

        RequeuedTransactions += own.Transactions.Count;
    }

    private void ObserveQc(int from, QuorumCertificate qc)
    {
        _qcFormed.Add(qc.Round);
        if (qc.Round > _safety.HighQc.Round)
        {
            _safety = _safety with { HighQc = qc, LockedRound = Math.Max(_safety.LockedRound, qc.Round) };
        }

        if (_blocks.TryGetValue(qc.BlockId, out var block))
        {
            CheckCommitRule(block);
        }
        else if (qc.Height > _committedTip.Height)
        {
            _qcsWaitingForBlock[qc.BlockId] = qc;
            Want(from, qc.BlockId, qc.Height);
        }

        if (qc.Round + 1 > _round)
        {
            _roundsTimedOutInRow = 0;
            EnterRound(qc.Round + 1, null);
        }
    }

    private void EnterRound(ulong round, TimeoutCertificate? enteredBy)
    {
        if (round <= _round)
        {
            return;
        }

        _round = round;
        _enteredBy = enteredBy;
        _myTimeout = null;
        _timerRepeats = 0;
        ArmTimer();
        Prune();
        RequestWantedBlocks(force: false);
        if (_validators.LeaderOf(round) == _me)
        {
            if (MayDeferProposal())
            {
                _deferredRound = round;
                _out.Add(new SetTimer(round, Math.Min(_now + _config.IdleProposalDelay, _roundDeadline)));
            }
            else
            {
                Propose();
            }
        }
        else if (_waitingCount > 0)
        {
            RetryWaitingProposals();
        }
    }

    private void ArmTimer()
    {
        var exponent = Math.Min(_roundsTimedOutInRow + _timerRepeats, _config.MaxBackoffExponent);
        _roundDeadline = _now + (_config.BaseRoundTimeout << exponent);
        _out.Add(new SetTimer(_round, _roundDeadline));
    }

    /// <summary>
    /// True when this leader may wait before proposing: idle waiting is on, nothing is queued, the
    /// last 2n committed blocks were empty, and no uncommitted block above the committed tip carries
    /// transactions or evidence (those need the next blocks, empty or not, to commit). Without this an idle cluster made an empty block
    /// every round as fast as it could: about 56 blocks/s and 0.9 of a core for 4 validators here.
    /// </summary>
    private bool MayDeferProposal()
    {
        if (_config.IdleProposalDelay <= 0 || _mempool.Count > 0 || _pendingEvidence.Count > 0 || _restoredProposals.ContainsKey(_round))
        {
            return false;
        }

        // Only once the chain itself is quiet: two full leader rotations of empty committed blocks.
        // A leader sees only its own queue; while any validator has work, blocks carry it and every
        // leader keeps proposing at once (waiting then would only eat into the round timeout).
        if (_quietCommits < 2 * _validators.Count)
        {
            return false;
        }

        var id = _safety.HighQc.BlockId;
        while (_blocks.TryGetValue(id, out var block) && block.Height > _committedTip.Height)
        {
            if (block.Transactions.Count > 0 || block.Evidence.Count > 0)
            {
                return false;
            }

            id = block.ParentId;
        }

        return true;
    }

    private void ProposeDeferred()
    {
        _deferredRound = 0;
        Propose();
        _out.Add(new SetTimer(_round, _roundDeadline)); // back to the round's own timeout
    }

    private void Propose()
    {
        if (_restoredProposals.Remove(_round, out var again))
        {
            // Restarted in a round we had already proposed in: send that block again. A new one
            // would be two proposals for one round — equivocation evidence against an honest node.
            var resigned = SigningDomain.SignBlockStatement(_signer, SignedKind.Proposal, _config.ChainId, again.Epoch, again.Round, again.Height, again.Id);
            _lastProposed = again.Id;
            Broadcast(new Proposal(again, resigned, again.Qc.Round + 1 == _round ? null : _enteredBy), toSelf: true);
            return;
        }

        var highQc = _safety.HighQc;
        var taken = new List<byte[]>(Math.Min(_mempool.Count, _config.MaxTransactionsPerBlock));
        long bytes = 0;
        while (taken.Count < _config.MaxTransactionsPerBlock && _mempool.TryPeek(out var next))
        {
            if (next.Length > _config.MaxBlockTransactionBytes)
            {
                _mempool.Dequeue(); // can never fit a block: dropped (the node's admission limit is far below)
                continue;
            }

            if (bytes + next.Length > _config.MaxBlockTransactionBytes)
            {
                break; // stays queued for the next block
            }

            bytes += next.Length;
            taken.Add(_mempool.Dequeue());
        }

        var transactions = taken.ToArray();

        var evidence = _pendingEvidence.Values.Take(_config.MaxEvidencePerBlock).ToArray();
        var parentTime = _blocks.TryGetValue(highQc.BlockId, out var parent) ? parent.TimestampMs : 0;
        var timestamp = Math.Max(_now < 0 ? 0UL : (ulong)_now, parentTime);
        var block = new Block(_config.ChainId, _validators.Epoch, _round, highQc.Height + 1, highQc, _me, transactions, evidence, timestamp);
        var signature = SigningDomain.SignBlockStatement(_signer, SignedKind.Proposal, _config.ChainId, block.Epoch, block.Round, block.Height, block.Id);
        var tc = highQc.Round + 1 == _round ? null : _enteredBy;
        _lastProposed = block.Id;
        _ownPending = transactions.Length > 0 ? block : null;
        _out.Add(new PersistBlock(block));
        Broadcast(new Proposal(block, signature, tc), toSelf: true);
    }

    // ---------------------------------------------------------------- blocks, sync and commit

    private void InsertBlock(int from, Block block)
    {
        if (!_blocks.TryAdd(block.Id, block))
        {
            return;
        }

        _wanted.Remove(block.Id);
        if (!_blocks.ContainsKey(block.ParentId) && block.Qc.Height > _committedTip.Height)
        {
            Want(from, block.ParentId, block.Height - 1);
        }

        if (_qcsWaitingForBlock.Remove(block.Id))
        {
            CheckCommitRule(block);
        }

        if (_waitingForParent.Remove(block.Id, out var children))
        {
            _waitingCount -= children.Count;
            foreach (var (childFrom, child) in children)
            {
                InsertBlock(childFrom, child.Block);
                TryVote(child);
            }
        }

        TryCommit();
    }

    private void BufferUntilParent(int from, Proposal p)
    {
        if (_waitingCount >= _config.MaxBufferedProposals)
        {
            return;
        }

        if (!_waitingForParent.TryGetValue(p.Block.ParentId, out var list))
        {
            list = [];
            _waitingForParent[p.Block.ParentId] = list;
        }

        list.Add((from, p));
        _waitingCount++;
    }

    private void RetryWaitingProposals()
    {
        foreach (var list in _waitingForParent.Values)
        {
            list.RemoveAll(item => item.Proposal.Block.Round < _round);
        }

        _waitingCount = _waitingForParent.Values.Sum(l => l.Count);
    }

    /// <summary>Asks for block <paramref name="id"/>, at <paramref name="height"/> (as its certificate or child says).</summary>
    private void Want(int from, Hash32 id, ulong height)
    {
        if (_blocks.ContainsKey(id) || !_wanted.TryAdd(id, (_round, height)))
        {
            return;
        }

        Send(from != _me ? from : NextPeer(), new BlockRequest(_validators.Epoch, id, AncestorsToAsk(height)));
    }

    /// <summary>
    /// How many ancestors to ask for with a block at <paramref name="height"/>: those down to just above
    /// our committed tip, which we have. Asking for the most the protocol allows made every response
    /// carry up to 33 blocks of a few MiB, nearly all of them already here, when the usual case is a
    /// certificate formed from votes a moment before its proposal arrived. A missing block deeper
    /// down is asked for in turn when its child arrives without it.
    /// </summary>
    private int AncestorsToAsk(ulong height) =>
        height <= _committedTip.Height + 1 ? 0 : (int)Math.Min(height - _committedTip.Height - 1, (ulong)BlockRequest.MaxAncestorsLimit);

    /// <summary>Asks again for blocks still missing after two rounds, each time another peer (the first may be withholding).</summary>
    private void RequestWantedBlocks(bool force)
    {
        if (_wanted.Count == 0)
        {
            return;
        }

        var asked = 0;
        foreach (var (id, (round, height)) in _wanted.ToList())
        {
            if (asked < 4 && (force || round + 2 <= _round))
            {
                _wanted[id] = (_round, height);
                Send(NextPeer(), new BlockRequest(_validators.Epoch, id, AncestorsToAsk(height)));
                asked++;
            }
        }
    }

    private int NextPeer()
    {
        if (_validators.Count == 1)
        {
            return _me;
        }

        var peer = (_me + 1 + (_requestRotation++ % (_validators.Count - 1))) % _validators.Count;
        return peer;
    }

    private void OnBlockRequest(int from, BlockRequest request)
    {
        if (from == _me || !_blocks.TryGetValue(request.BlockId, out var block))
        {
            DroppedCheaply++;
            return;
        }

        var blocks = new List<Block> { block };
        while (blocks.Count <= request.MaxAncestors && block.Height > 0 && _blocks.TryGetValue(block.ParentId, out var parent))
        {
            blocks.Add(parent);
            block = parent;
        }

        Send(from, new BlockResponse(_validators.Epoch, [.. blocks]));
    }

    private void OnBlockResponse(int from, BlockResponse response)
    {
        if (response.Blocks.Count > BlockRequest.MaxAncestorsLimit + 1)
        {
            Rejected++;
            return;
        }

        // A block is accepted only if something already verified named its id: a QC or a child (it
        // is wanted), or, inside this response, the parent link of the block accepted just before
        // it (a response runs from the requested block down through its ancestors). The id is
        // recomputed from content, so the bytes are the ones named.
        List<Block>? accepted = null;
        var linked = false;
        var parentId = default(Hash32);
        foreach (var block in response.Blocks)
        {
            if (!_wanted.ContainsKey(block.Id) && !(linked && block.Id == parentId))
            {
                linked = false;
                continue;
            }

            if (block.ChainId != _config.ChainId || block.Epoch != _validators.Epoch || block.Height != block.Qc.Height + 1 || block.Qc.Round >= block.Round)
            {
                Rejected++;
                linked = false;
                continue;
            }

            (accepted ??= []).Add(block);
            linked = block.Qc.Height > _committedTip.Height && !_blocks.ContainsKey(block.ParentId);
            parentId = block.ParentId;
        }

        if (accepted is null)
        {
            return;
        }

        // Oldest first: each block's parent is then already here, so only the oldest one's missing
        // parent (if any) is requested, once, instead of one request per block of the response.
        for (var i = accepted.Count - 1; i >= 0; i--)
        {
            InsertBlock(from, accepted[i]);
        }
    }

    private void CheckCommitRule(Block certified)
    {
        // Two-chain rule: B certified and its child B' from the very next round certified => B final.
        if (certified.Round != certified.Qc.Round + 1 || certified.Qc.Height <= _committedTip.Height)
        {
            return;
        }

        if (_commitTarget is null || certified.Qc.Height > _commitTarget.Value.Height)
        {
            _commitTarget = (certified.ParentId, certified.Qc.Height, certified.Qc);
        }

        TryCommit();
    }

    private void TryCommit()
    {
        if (_commitTarget is not { } target)
        {
            return;
        }

        var chain = new List<Block>();
        var id = target.Target;
        while (true)
        {
            if (!_blocks.TryGetValue(id, out var block))
            {
                Want(_me, id, chain.Count > 0 ? chain[^1].Height - 1 : target.Height);
                return;
            }

            if (chain.Count > 0 && chain[^1].Height != block.Height + 1)
            {
                _out.Add(new SafetyAlarm("Certified chain has a height gap.", _committedTip, chain[^1]));
                _commitTarget = null;
                return;
            }

            if (block.Height <= _committedTip.Height)
            {
                if (block.Id != _committedTip.Id)
                {
                    _out.Add(new SafetyAlarm($"A certified chain forks below committed height {_committedTip.Height}.", _committedTip, chain.Count > 0 ? chain[^1] : block));
                    _commitTarget = null;
                    return;
                }

                break;
            }

            chain.Add(block);
            id = block.ParentId;
        }

        for (var i = chain.Count - 1; i >= 0; i--)
        {
            var certificate = i == 0 ? target.Certificate : chain[i - 1].Qc;
            var block = chain[i];
            _committedTip = block;
            _quietCommits = block.Transactions.Count > 0 || block.Evidence.Count > 0 ? 0 : _quietCommits + 1;
            foreach (var e in block.Evidence)
            {
                _pendingEvidence.Remove(e.Key);
                _knownEvidence.Add(e.Key);
            }

            _out.Add(new BlockCommitted(block, certificate));
        }

        _commitTarget = null;
        ForgetOldBlocks();
    }

    /// <summary>
    /// Drops blocks more than <see cref="CommittedBlocksKept"/> heights below the committed tip.
    /// Without this every block ever seen stayed in memory (at 1 MB blocks, hundreds of MB within
    /// minutes, and each full GC had to walk them). A block that old can only matter to a fork
    /// below the committed tip: walking such a chain down then stops at the missing block, which
    /// commits nothing (the commit walk must reach the committed tip), so safety does not rest on it.
    /// </summary>
    private static long TransactionBytes(IReadOnlyList<byte[]> transactions)
    {
        long sum = 0;
        foreach (var tx in transactions)
        {
            sum += tx.Length;
        }

        return sum;
    }

    private void ForgetOldBlocks()
    {
        if (_committedTip.Height <= CommittedBlocksKept || _blocks.Count <= CommittedBlocksKept + 16)
        {
            return;
        }

        var floor = _committedTip.Height - CommittedBlocksKept;
        foreach (var (id, block) in _blocks)
        {
            if (block.Height < floor && id != Genesis.Id)
            {
                _blocks.Remove(id);
            }
        }
    }

    // ---------------------------------------------------------------- evidence

    private void OnEvidence(EquivocationEvidence evidence)
    {
        if (_knownEvidence.Contains(evidence.Key))
        {
            DroppedCheaply++;
            return;
        }

        if (!_certificates.VerifyEvidence(evidence))
        {
            Rejected++;
            return;
        }

        RecordEvidence(evidence);
    }

    private void RecordEvidence(EquivocationEvidence evidence)
    {
        if (!_knownEvidence.Add(evidence.Key))
        {
            return;
        }

        _pendingEvidence[evidence.Key] = evidence;
        _out.Add(new EvidenceFound(evidence));
        Broadcast(new EvidenceMessage(evidence), toSelf: false);
    }

    // ---------------------------------------------------------------- plumbing

    private void Send(int to, ConsensusMessage message)
    {
        if (to == _me)
        {
            _self.Enqueue((_me, message));
        }
        else
        {
            _out.Add(new SendMessage(to, message));
        }
    }

    private void Broadcast(ConsensusMessage message, bool toSelf)
    {
        _out.Add(new BroadcastMessage(message));
        if (toSelf)
        {
            _self.Enqueue((_me, message));
        }
    }

    private void Prune()
    {
        if (_round <= RoundsOfHistory)
        {
            return;
        }

        var floor = _round - RoundsOfHistory;
        RemoveWhere(_proposalsSeen, r => r < floor);
        RemoveWhere(_timeouts, r => r < floor);
        RemoveWhere(_votesSeen, k => k.Round < floor);
        RemoveWhere(_votes, k => k.Round < floor);
        _qcFormed.RemoveWhere(r => r < floor);
        _tcFormed.RemoveWhere(r => r < floor);
        RemoveWhere(_restoredProposals, r => r < _round);
        if (_round % 16 == 0)
        {
            _certificates.PruneBelow(floor);
        }
    }

    private static void RemoveWhere<TKey, TValue>(Dictionary<TKey, TValue> map, Func<TKey, bool> predicate)
        where TKey : notnull
    {
        foreach (var key in map.Keys)
        {
            if (predicate(key))
            {
                map.Remove(key);
            }
        }
    }
}
