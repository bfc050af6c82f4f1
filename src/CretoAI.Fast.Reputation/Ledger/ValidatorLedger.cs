using System.Buffers.Binary;
using CretoAI.Fast.Consensus.Evidence;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Reputation.Scores;
using CretoAI.Fast.Reputation.Stake;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.State;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Reputation.Ledger;

/// <summary>
/// Applies committed blocks, in height order, to the validators' replicated state: the
/// <see cref="StakeManager"/>, the <see cref="ReputationTracker"/> and the <see cref="AdaptiveQuorum"/>.
/// From each block it derives who proposed, who signed the certificate it carries, which leaders
/// missed their rounds, which evidence is new (slash, penalty, reporter credit, threat level) and
/// which stake transactions to apply; every participation window it pays heartbeats and charges
/// missed votes; every epoch it computes the next epoch's voting weights from stake, reputation and
/// uptime. Every other signed transaction (application payloads, and kinds handed to an
/// <see cref="ITransactionApplier"/> such as agent operations) is verified in the same signature batch
/// and must carry the sender's next account nonce. Everything lives in the <see cref="IReplicatedState"/>, so a replica restarted from a
/// checkpoint that re-applies the blocks after it ends with byte-identical state. Single-threaded.
/// </summary>
public sealed class ValidatorLedger
{
    private const byte Version = 1;
    private const ulong EpochWeightsBase = 1UL << 32;

    private static readonly StateKey ProgressKey = StateKey.For(StateNamespace.ValidatorLedger, 0);
    private static readonly StateKey QuorumKey = StateKey.For(StateNamespace.ValidatorLedger, 1);
    private static readonly StateKey ParticipationKey = StateKey.For(StateNamespace.Participation, 0);

    private readonly IReplicatedState _state;
    private readonly Hash32 _chainId;
    private readonly ValidatorSet _genesisSet;
    private readonly LedgerValidator[] _genesis;
    private readonly Hash32[] _candidates;
    private readonly Dictionary<Hash32, int> _candidateIndex = [];
    private readonly Dictionary<ulong, ValidatorSet?> _sets = [];
    private readonly MLDsa87BatchVerifier _verifier;
    private readonly OffenceReports _reports;
    private readonly AccountNonces _nonces;

    // The applier of each transaction kind, indexed by the kind's byte; null where the ledger has none.
    private readonly ITransactionApplier?[] _appliers = new ITransactionApplier?[256];

    // Participation of each genesis candidate, by candidate index.
    private readonly bool[] _seenInWindow;
    private readonly uint[] _windowsThisEpoch;
    private readonly uint[] _missedInARow;

    private AdaptiveQuorum _quorum;
    private ulong _height;
    private ulong _timestampMs;
    private ulong _epoch;

    /// <param name="state">Where everything is kept; an initialised ledger resumes from it.</param>
    /// <param name="rules">Chain constants (genesis).</param>
    /// <param name="chainId">Transactions signed for another chain are refused.</param>
    /// <param name="genesisSet">The consensus engine's epoch-0 validator set: its order maps bitmap bits and proposer indices to validators.</param>
    /// <param name="genesis">Opening balances and reputation, one per validator of <paramref name="genesisSet"/>, same order.</param>
    /// <param name="verifier">Transaction signature verifier; a shared all-cores one when null.</param>
    /// <param name="appliers">
    /// State machines for transaction kinds the ledger does not interpret itself (a chain rule: every
    /// validator registers the same). At most one per kind; none may claim a stake kind, reports or payloads.
    /// </param>
    public ValidatorLedger(IReplicatedState state, LedgerRules rules, Hash32 chainId, ValidatorSet genesisSet, IReadOnlyList<LedgerValidator> genesis, MLDsa87BatchVerifier? verifier = null, IReadOnlyList<ITransactionApplier>? appliers = null)
    {
        _state = state ?? throw new ArgumentNullException(nameof(state));
        Rules = (rules ?? throw new ArgumentNullException(nameof(rules))).Validate();
        _genesisSet = genesisSet ?? throw new ArgumentNullException(nameof(genesisSet));
        ArgumentNullException.ThrowIfNull(genesis);
        if (genesis.Count != genesisSet.Count)
        {
            throw new ArgumentException($"The genesis set has {genesisSet.Count} validators but {genesis.Count} opening accounts were given.", nameof(genesis));
        }

        _chainId = chainId;
        _genesis = [.. genesis];
        _candidates = new Hash32[genesis.Count];
        for (var i = 0; i < genesis.Count; i++)
        {
            var id = Sha3.Hash256(genesis[i].PublicKey.Span);
            if (id != genesisSet[i].NodeId)
            {
                throw new ArgumentException($"Opening account {i} has a different key than validator {i} of the genesis set.", nameof(genesis));
            }

            _candidates[i] = id;
            _candidateIndex[id] = i;
        }

        _sets[genesisSet.Epoch] = genesisSet;
        _verifier = verifier ?? new MLDsa87BatchVerifier();
        _reports = new OffenceReports(state, genesis.Count);
        _nonces = new AccountNonces(state);
        RegisterAppliers(appliers ?? []);
        _seenInWindow = new bool[genesis.Count];
        _windowsThisEpoch = new uint[genesis.Count];
        _missedInARow = new uint[genesis.Count];
        Stake = new StakeManager(state, Rules.Stake);
        Reputation = new ReputationTracker(state, Rules.Reputation);
        _quorum = new AdaptiveQuorum(Rules.Quorum);
        IsInitialized = LoadProgress();
    }

    public LedgerRules Rules { get; }

    public StakeManager Stake { get; }

    public ReputationTracker Reputation { get; }

    /// <summary>The threat level machine, fed from committed blocks; the engine's <see cref="IThreatLevelProvider"/>.</summary>
    public AdaptiveQuorum Quorum => _quorum;

    public bool IsInitialized { get; private set; }

    /// <summary>Height of the last applied block (0 after genesis).</summary>
    public ulong Height => _height;

    /// <summary>Timestamp of the last applied block.</summary>
    public ulong TimestampMs => _timestampMs;

    /// <summary>The weights epoch in force: the number of epoch boundaries passed.</summary>
    public ulong Epoch => _epoch;

    /// <summary>The genesis validators' ids, in genesis order.</summary>
    public IReadOnlyList<Hash32> Candidates => _candidates;

    /// <summary>Commitment to the whole replicated state (stake, reputation, ledger progress).</summary>
    public StateDigest StateDigest => _state.Digest;

    /// <summary>
    /// The last account nonce applied for <paramref name="sender"/> (0 before its first payload or agent
    /// transaction); its next such transaction must carry this + 1. Stake operations use the stake
    /// account's own nonce (<see cref="StakeManager.GetAccount"/>).
    /// </summary>
    public ulong AccountNonceOf(Hash32 sender) => _nonces.Last(sender);

    /// <summary>
    /// The epoch-0 weights the formula gives for opening accounts (uptime taken as 1.0): what a node
    /// builds its genesis <see cref="ValidatorSet"/> from.
    /// </summary>
    public static ulong[] GenesisWeights(IReadOnlyList<LedgerValidator> genesis, VotingWeightRules rules)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        var stake = new ulong[genesis.Count];
        var reputation = new uint[genesis.Count];
        var uptime = new uint[genesis.Count];
        var weights = new ulong[genesis.Count];
        for (var i = 0; i < genesis.Count; i++)
        {
            stake[i] = genesis[i].Bonded;
            reputation[i] = genesis[i].ReputationPpm;
            uptime[i] = VotingWeights.PpmScale;
        }

        VotingWeights.Compute(stake, reputation, uptime, weights, rules);
        return weights;
    }

    /// <summary>Writes the opening state: stake accounts, reputation, ledger progress at height 0.</summary>
    /// <exception cref="InvalidOperationException">The state is already initialised.</exception>
    public void InitializeGenesis(ulong genesisTimeMs)
    {
        if (IsInitialized)
        {
            throw new InvalidOperationException($"The validator ledger is already initialised (height {_height}).");
        }

        var at = new BlockContext(0, genesisTimeMs);
        var accounts = new GenesisStake[_genesis.Length];
        for (var i = 0; i < _genesis.Length; i++)
        {
            accounts[i] = new GenesisStake(_candidates[i], _genesis[i].Liquid, _genesis[i].Bonded);
        }

        Stake.InitializeGenesis(accounts, at);
        for (var i = 0; i < _genesis.Length; i++)
        {
            Reputation.SetInitial(_candidates[i], _genesis[i].ReputationPpm, at);
        }

        _height = 0;
        _timestampMs = genesisTimeMs;
        _epoch = 0;
        var weights = new ulong[_genesis.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = _genesisSet.WeightOf(i);
        }

        var uptime = new uint[_genesis.Length];
        Array.Fill(uptime, VotingWeights.PpmScale);
        var (stake, reputation) = StakeAndReputationAt(genesisTimeMs);

        var summary = new WeightSummary(_genesis.Length, _genesisSet.TotalWeight, _genesisSet.TotalWeight, 0, _genesisSet.TotalWeight);
        SaveEpochWeights(new EpochWeights { Epoch = 0, ComputedAtHeight = 0, Candidates = _candidates, Stake = stake, ReputationPpm = reputation, UptimePpm = uptime, Weights = weights, Summary = summary });
        SaveProgress();
        SaveParticipation();
        _state.Write(QuorumKey, _quorum.Snapshot());
        _state.Seal();
        IsInitialized = true;
    }

    /// <summary>
    /// Applies the next committed block. Blocks must come in height order with non-decreasing
    /// timestamps; a block that does not fit is refused before anything changes.
    /// </summary>
    /// <param name="block">The committed block.</param>
    /// <param name="signatureKnownValid">
    /// Optional, one flag per transaction: true where this process already verified exactly these
    /// transaction bytes (the node's mempool admitted them; its transaction id, a SHA3-256 of the
    /// whole envelope, matched), so the signature check is not repeated. The verdict cannot differ:
    /// verification is a pure function of the bytes. Every other check (parse, chain, nonce, rules)
    /// still runs. Empty: verify everything.
    /// </param>
    /// <exception cref="ArgumentException">Not the next height, time going back, or an epoch with no known validator set.</exception>
    public BlockOutcome Apply(Block block, ReadOnlySpan<bool> signatureKnownValid = default)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (!signatureKnownValid.IsEmpty && signatureKnownValid.Length != block.Transactions.Count)
        {
            throw new ArgumentException($"signatureKnownValid has {signatureKnownValid.Length} flags for {block.Transactions.Count} transactions.", nameof(signatureKnownValid));
        }

        if (!IsInitialized)
        {
            throw new InvalidOperationException("The validator ledger has no genesis yet: call InitializeGenesis first.");
        }

        if (block.Height != _height + 1)
        {
            throw new ArgumentException($"Expected the block at height {_height + 1}, got {block.Height}.", nameof(block));
        }

        if (block.TimestampMs < _timestampMs)
        {
            throw new ArgumentException($"Block {block.Height} has timestamp {block.TimestampMs}, before the previous block's {_timestampMs}.", nameof(block));
        }

        var set = SetForEpoch(block.Epoch)
            ?? throw new ArgumentException($"Block {block.Height} is in epoch {block.Epoch}, which has no validator set in this ledger.", nameof(block));
        if (block.ProposerIndex < 0 || block.ProposerIndex >= set.Count)
        {
            throw new ArgumentException($"Block {block.Height} names proposer {block.ProposerIndex}; epoch {block.Epoch} has {set.Count} validators.", nameof(block));
        }

        var at = new BlockContext(block.Height, block.TimestampMs);

        // 1. Who took part: the proposer and the signers of the certificate the block carries.
        var proposer = set[block.ProposerIndex].NodeId;
        MarkSeen(proposer);
        Reputation.Apply(proposer, ReputationCause.BlockProposed, Offence.None, at);
        var bitmap = block.Qc.SignerBitmap;
        for (var i = 0; i < set.Count; i++)
        {
            if (i / 64 < bitmap.Count && ((bitmap[i / 64] >> (i % 64)) & 1) != 0)
            {
                var voter = set[i].NodeId;
                MarkSeen(voter);
                Reputation.Apply(voter, ReputationCause.VoteCast, Offence.None, at);
            }
        }

        // 2. Leaders of the rounds between the parent's and this block's proposed nothing that got
        // certified. Each is charged once per block, however long the gap.
        ChargeMissedProposals(set, block, at);

        // 3. Evidence: new evidence slashes, penalises and credits the proposer who included it.
        var slashes = new List<SlashRecord>();
        var evidence = new List<ByzantineEvidence>();
        var replays = 0;
        foreach (var e in block.Evidence)
        {
            var offenderSet = SetForEpoch(e.Epoch);
            if (offenderSet is null || e.ValidatorIndex < 0 || e.ValidatorIndex >= offenderSet.Count)
            {
                replays++;
                continue;
            }

            var offender = offenderSet[e.ValidatorIndex].NodeId;
            var evidenceId = EvidenceId(e.Key);
            var slash = Stake.Slash(offender, Offence.Equivocation, evidenceId, at);
            if (slash.Rejection == StakeRejection.AlreadySlashed)
            {
                replays++;
                continue;
            }

            slashes.Add(new SlashRecord(offender, Offence.Equivocation, slash.Amount, evidenceId));
            Reputation.Apply(offender, ReputationCause.Offence, Offence.Equivocation, at);
            if (proposer != offender)
            {
                Reputation.Apply(proposer, ReputationCause.ReportConfirmed, Offence.None, at);
            }

            var index = set.IndexOf(offender);
            if (index >= 0)
            {
                evidence.Add(new ByzantineEvidence(index, ByzantineBehaviour.Equivocation, e.Round));
            }
        }

        // 4. Signed transactions: stake operations and offence reports.
        var outcomes = ApplyTransactions(block, signatureKnownValid, set, at, slashes, evidence);

        // 5. The threat level follows the committed chain.
        var threat = _quorum.OnBlockCommitted(new CommittedBlockFacts(block.Height, block.Round, block.TimestampMs, set.Count), evidence.ToArray());

        // 6. Window and epoch boundaries.
        _height = block.Height;
        _timestampMs = block.TimestampMs;
        if (block.Height % Rules.ParticipationWindowBlocks == 0)
        {
            CloseWindow(at, slashes);
        }

        EpochWeights? next = null;
        if (block.Height % Rules.EpochLengthBlocks == 0)
        {
            next = CloseEpoch(block.Height);
        }

        SaveProgress();
        SaveParticipation();
        _state.Write(QuorumKey, _quorum.Snapshot());
        _state.Seal();
        return new BlockOutcome
        {
            Height = block.Height,
            Transactions = outcomes,
            Slashes = slashes,
            EvidenceReplays = replays,
            Threat = threat,
            NextEpoch = next,
            StateHash = _state.Digest.Hash,
        };
    }

    /// <summary>The weights of <paramref name="epoch"/>, or null when they have not been computed (yet).</summary>
    public EpochWeights? WeightsOf(ulong epoch) => LoadEpochWeights(epoch);

    /// <summary>
    /// The validator set of <paramref name="epoch"/>: the genesis set for its epoch, otherwise the eligible
    /// candidates (weight above 0) in genesis order with their computed weights; null when not computed.
    /// </summary>
    public ValidatorSet? SetForEpoch(ulong epoch)
    {
        if (_sets.TryGetValue(epoch, out var cached))
        {
            return cached;
        }

        var weights = LoadEpochWeights(epoch);
        ValidatorSet? set = null;
        if (weights is not null)
        {
            var members = new List<Validator>();
            for (var i = 0; i < _candidates.Length; i++)
            {
                if (weights.Weights[i] > 0)
                {
                    members.Add(new Validator(_candidates[i], _genesis[i].PublicKey, weights.Weights[i]));
                }
            }

            set = members.Count > 0 ? new ValidatorSet(epoch, members) : null;
        }

        if (set is not null)
        {
            _sets[epoch] = set;
        }

        return set;
    }

    private void MarkSeen(Hash32 validator)
    {
        if (_candidateIndex.TryGetValue(validator, out var i))
        {
            _seenInWindow[i] = true;
        }
    }

    private void ChargeMissedProposals(ValidatorSet set, Block block, BlockContext at)
    {
        var gap = block.Round - block.Qc.Round - 1;
        if (block.Qc.Round >= block.Round || gap == 0)
        {
            return;
        }

        var charged = new bool[set.Count];
        var rounds = Math.Min(gap, (ulong)set.LeaderCycleLength);
        for (ulong k = 0; k < rounds; k++)
        {
            var leader = set.LeaderOf(block.Qc.Round + 1 + k);
            if (!charged[leader] && leader != block.ProposerIndex)
            {
                charged[leader] = true;
            }
        }

        for (var i = 0; i < charged.Length; i++)
        {
            if (charged[i])
            {
                Reputation.Apply(set[i].NodeId, ReputationCause.Offence, Offence.MissedProposal, at);
            }
        }
    }

    /// <summary>
    /// The sender id (SHA3-256 of the public key) of every transaction that parses, four keys at a
    /// time (<see cref="Sha3Batch"/>); unparseable ones get the digest of nothing, never read.
    /// </summary>
    private static Hash32[] SenderIds(IReadOnlyList<byte[]> transactions)
    {
        var keys = new ReadOnlyMemory<byte>[transactions.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            var bytes = transactions[i];
            if (SignedTransaction.TryParse(bytes, out _) == TransactionParseError.None)
            {
                keys[i] = bytes.AsMemory(SignedTransaction.HeaderSize - SignedTransaction.PublicKeySize, SignedTransaction.PublicKeySize);
            }
        }

        var senders = new Hash32[keys.Length];
        Sha3Batch.Hash256(keys, senders);
        return senders;
    }

    private List<TransactionOutcome> ApplyTransactions(Block block, ReadOnlySpan<bool> signatureKnownValid, ValidatorSet set, BlockContext at, List<SlashRecord> slashes, List<ByzantineEvidence> evidence)
    {
        var outcomes = new List<TransactionOutcome>(block.Transactions.Count);
        // What the second pass needs of each transaction whose signature is checked (the parsed view is
        // a ref struct and cannot be kept), and the batch handed to the verifier.
        var pending = new List<(int Index, ulong Nonce, ReadOnlyMemory<byte> PublicKey, ReadOnlyMemory<byte> Body)>();
        var items = new List<MLDsa87BatchItem>();
        var toVerify = new List<int>(); // indexes into pending of the items handed to the verifier
        var senders = SenderIds(block.Transactions);
        for (var i = 0; i < block.Transactions.Count; i++)
        {
            var bytes = block.Transactions[i];
            var error = SignedTransaction.TryParse(bytes, out var tx);
            if (error != TransactionParseError.None)
            {
                outcomes.Add(new TransactionOutcome(i, TransactionKind.Unknown, Hash32.Zero, TransactionVerdict.Malformed, $"not a signed transaction: {error}"));
                continue;
            }

            // Every kind goes through the same checks and the same signature batch, payloads and applier
            // kinds included: a Byzantine proposer cannot get an unsigned or foreign transaction applied.
            var sender = senders[i];
            if (tx.ChainId != _chainId)
            {
                outcomes.Add(new TransactionOutcome(i, tx.Kind, sender, TransactionVerdict.WrongChain, $"signed for chain {tx.ChainId.ToShortString()}, this is {_chainId.ToShortString()}"));
                continue;
            }

            var memory = bytes.AsMemory();
            var check = TransactionSignature.BatchItem(memory, tx.BodyLength);
            pending.Add((i, tx.Nonce, check.PublicKey, memory.Slice(SignedTransaction.HeaderSize, tx.BodyLength)));
            if (signatureKnownValid.IsEmpty || !signatureKnownValid[i])
            {
                items.Add(check);
                toVerify.Add(pending.Count - 1);
            }

            outcomes.Add(new TransactionOutcome(i, tx.Kind, sender, TransactionVerdict.Applied, null));
        }

        if (pending.Count == 0)
        {
            return outcomes;
        }

        var verdicts = new bool[pending.Count];
        Array.Fill(verdicts, true);
        if (items.Count > 0)
        {
            var checkedVerdicts = _verifier.VerifyAll(items);
            for (var j = 0; j < toVerify.Count; j++)
            {
                verdicts[toVerify[j]] = checkedVerdicts[j];
            }
        }

        for (var k = 0; k < pending.Count; k++)
        {
            var (index, nonce, publicKey, body) = pending[k];
            var outcome = outcomes[index];
            if (!verdicts[k])
            {
                outcomes[index] = outcome with { Verdict = TransactionVerdict.BadSignature, Reason = "the signature does not verify under the sender's key" };
                continue;
            }

            if (outcome.Kind == TransactionKind.Report)
            {
                var refusal = ApplyReport(outcome.Sender, body.Span, set, at, slashes, evidence);
                if (refusal is not null)
                {
                    outcomes[index] = outcome with { Verdict = TransactionVerdict.Rejected, Reason = refusal };
                }

                continue;
            }

            if (outcome.Kind is not (TransactionKind.Bond or TransactionKind.Unbond or TransactionKind.Withdraw))
            {
                outcomes[index] = ApplyAccountTransaction(outcome, nonce, publicKey.Span, body.Span, at);
                continue;
            }

            var expectedBody = outcome.Kind == TransactionKind.Withdraw ? 0 : 8;
            if (body.Length != expectedBody)
            {
                outcomes[index] = outcome with { Verdict = TransactionVerdict.Malformed, Reason = $"a {outcome.Kind} body is {expectedBody} bytes, got {body.Length}" };
                continue;
            }

            var result = outcome.Kind switch
            {
                TransactionKind.Bond => Stake.Bond(outcome.Sender, BinaryPrimitives.ReadUInt64LittleEndian(body.Span), nonce, at),
                TransactionKind.Unbond => Stake.Unbond(outcome.Sender, BinaryPrimitives.ReadUInt64LittleEndian(body.Span), nonce, at),
                _ => Stake.Withdraw(outcome.Sender, nonce, at),
            };
            if (!result.Applied)
            {
                outcomes[index] = outcome with { Verdict = TransactionVerdict.Rejected, Reason = result.Reason };
            }
        }

        return outcomes;
    }

    // A payload or an applier's kind: the account nonce must be the next one; a payload is then applied
    // (its nonce is all the ledger keeps of it), any other kind goes to its applier. A kind no applier
    // handles is not interpreted and consumes nothing. Refusals, the ledger's or the applier's, leave
    // the nonce unconsumed, as the stake manager does.
    private TransactionOutcome ApplyAccountTransaction(TransactionOutcome outcome, ulong nonce, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> body, BlockContext at)
    {
        var applier = _appliers[(byte)outcome.Kind];
        if (applier is null && outcome.Kind != TransactionKind.Payload)
        {
            return outcome with { Verdict = TransactionVerdict.NotInterpreted, Reason = $"this ledger has no applier for {outcome.Kind} transactions" };
        }

        var refusal = AccountNonces.Refusal(_nonces.Last(outcome.Sender), nonce);
        if (refusal is not null)
        {
            return outcome with { Verdict = TransactionVerdict.Rejected, Reason = refusal };
        }

        if (applier is not null)
        {
            var result = applier.Apply(outcome.Kind, outcome.Sender, publicKey, nonce, body, at);
            if (result.Verdict != TransactionVerdict.Applied)
            {
                if (result.Verdict is not (TransactionVerdict.Rejected or TransactionVerdict.Malformed))
                {
                    throw new InvalidOperationException($"The {outcome.Kind} applier answered {result.Verdict}; an applier applies, rejects or finds the body malformed.");
                }

                return outcome with { Verdict = result.Verdict, Reason = string.IsNullOrWhiteSpace(result.Reason) ? $"refused by the {outcome.Kind} applier" : result.Reason };
            }
        }

        _nonces.Advance(outcome.Sender, nonce);
        return outcome;
    }

    private void RegisterAppliers(IReadOnlyList<ITransactionApplier> appliers)
    {
        foreach (var applier in appliers)
        {
            ArgumentNullException.ThrowIfNull(applier, nameof(appliers));
            foreach (var kind in Enum.GetValues<TransactionKind>())
            {
                if (kind == TransactionKind.Unknown || !applier.Handles(kind))
                {
                    continue;
                }

                if (kind is TransactionKind.Bond or TransactionKind.Unbond or TransactionKind.Withdraw or TransactionKind.Report or TransactionKind.Payload)
                {
                    throw new ArgumentException($"{applier.GetType().Name} claims {kind} transactions, which the ledger applies itself.", nameof(appliers));
                }

                if (_appliers[(byte)kind] is { } other)
                {
                    throw new ArgumentException($"{applier.GetType().Name} and {other.GetType().Name} both claim {kind} transactions.", nameof(appliers));
                }

                _appliers[(byte)kind] = applier;
            }
        }
    }

    // A report counts when a validator of the block's set files it; once the reporters' weight reaches
    // the quorum in force, the offence is confirmed: slashed (once, with the report id as evidence id),
    // penalised, counted by the threat level, and every reporter is credited.
    private string? ApplyReport(Hash32 reporter, ReadOnlySpan<byte> body, ValidatorSet set, BlockContext at, List<SlashRecord> slashes, List<ByzantineEvidence> evidence)
    {
        if (body.Length != Hash32.Size + 1 + 8)
        {
            return $"a report body is {Hash32.Size + 1 + 8} bytes (offender, offence, height), got {body.Length}";
        }

        var offender = new Hash32(body[..Hash32.Size]);
        var offence = (Offence)body[Hash32.Size];
        var height = BinaryPrimitives.ReadUInt64LittleEndian(body[(Hash32.Size + 1)..]);
        if (offence is not (Offence.InvalidBlock or Offence.InvalidSignature or Offence.DoubleSignCommit))
        {
            return $"{offence} cannot be reported: equivocation comes as signed evidence in blocks, downtime and missed rounds are derived from the chain";
        }

        var reporterIndex = set.IndexOf(reporter);
        if (reporterIndex < 0 || !_candidateIndex.TryGetValue(reporter, out var reporterCandidate))
        {
            return $"{reporter.ToShortString()} is not a validator of epoch {set.Epoch}: only validators may report offences";
        }

        if (!_candidateIndex.TryGetValue(offender, out var offenderCandidate))
        {
            return $"{offender.ToShortString()} is not a validator of this chain";
        }

        if (offender == reporter)
        {
            return "a validator cannot report itself";
        }

        if (height > at.Height)
        {
            return $"the offence height {height} is beyond this block's height {at.Height}";
        }

        var reportId = OffenceReports.ReportId(offender, offence, height);
        var reporters = _reports.Add(reportId, offence, offenderCandidate, reporterCandidate, out var refusal);
        if (reporters is null)
        {
            return refusal;
        }

        ulong weight = 0;
        foreach (var r in reporters)
        {
            var index = set.IndexOf(_candidates[r]);
            weight += index >= 0 ? set.WeightOf(index) : 0;
        }

        var level = _quorum.TryGetLevelAt(at.Height, out var inForce) ? inForce : ThreatLevel.Normal;
        if (!set.ReachesQuorum(weight, level))
        {
            return null;
        }

        _reports.Confirm(reportId);
        var slash = Stake.Slash(offender, offence, reportId, at);
        if (slash.Applied)
        {
            slashes.Add(new SlashRecord(offender, offence, slash.Amount, reportId));
        }

        Reputation.Apply(offender, ReputationCause.Offence, offence, at);
        foreach (var r in reporters)
        {
            Reputation.Apply(_candidates[r], ReputationCause.ReportConfirmed, Offence.None, at);
        }

        var offenderIndex = set.IndexOf(offender);
        if (offenderIndex >= 0)
        {
            var behaviour = offence switch
            {
                Offence.InvalidSignature => ByzantineBehaviour.InvalidSignature,
                Offence.DoubleSignCommit => ByzantineBehaviour.Equivocation,
                _ => ByzantineBehaviour.InvalidMessage,
            };
            evidence.Add(new ByzantineEvidence(offenderIndex, behaviour, height));
        }

        return null;
    }

    private void CloseWindow(BlockContext at, List<SlashRecord> slashes)
    {
        for (var i = 0; i < _candidates.Length; i++)
        {
            if (_seenInWindow[i])
            {
                _windowsThisEpoch[i]++;
                _missedInARow[i] = 0;
                Reputation.Apply(_candidates[i], ReputationCause.UptimeHeartbeat, Offence.None, at);
                continue;
            }

            Reputation.Apply(_candidates[i], ReputationCause.Offence, Offence.MissedVote, at);
            if (++_missedInARow[i] >= Rules.DowntimeWindows)
            {
                _missedInARow[i] = 0;
                var id = DowntimeId(_candidates[i], at.Height);
                var slash = Stake.Slash(_candidates[i], Offence.ProlongedDowntime, id, at);
                if (slash.Rejection == StakeRejection.None)
                {
                    slashes.Add(new SlashRecord(_candidates[i], Offence.ProlongedDowntime, slash.Amount, id));
                    Reputation.Apply(_candidates[i], ReputationCause.Offence, Offence.ProlongedDowntime, at);
                }
            }
        }

        Array.Clear(_seenInWindow);
    }

    private EpochWeights CloseEpoch(ulong height)
    {
        var count = _candidates.Length;
        var uptime = new uint[count];
        var weights = new ulong[count];
        var windows = Rules.EpochLengthBlocks / Rules.ParticipationWindowBlocks;
        for (var i = 0; i < count; i++)
        {
            uptime[i] = (uint)Math.Min(VotingWeights.PpmScale, _windowsThisEpoch[i] * (ulong)VotingWeights.PpmScale / windows);
        }

        var (stake, reputation) = StakeAndReputationAt(_timestampMs);
        var summary = VotingWeights.Compute(stake, reputation, uptime, weights, Rules.Weights);
        _epoch++;
        var result = new EpochWeights { Epoch = _epoch, ComputedAtHeight = height, Candidates = _candidates, Stake = stake, ReputationPpm = reputation, UptimePpm = uptime, Weights = weights, Summary = summary };
        SaveEpochWeights(result);
        Array.Clear(_windowsThisEpoch);
        return result;
    }

    // Each candidate's bonded stake (StakeRules keeps it within VotingWeights.MaxStake) and its reputation
    // decayed to timestampMs, all candidates in one pass of the bulk decay kernel.
    private (ulong[] Stake, uint[] Reputation) StakeAndReputationAt(ulong timestampMs)
    {
        var stake = new ulong[_candidates.Length];
        for (var i = 0; i < stake.Length; i++)
        {
            stake[i] = Stake.BondedStake(_candidates[i]);
        }

        var reputation = new uint[_candidates.Length];
        Reputation.ScoresAt(_candidates, timestampMs, reputation);
        return (stake, reputation);
    }

    private static Hash32 EvidenceId(EvidenceKey key)
    {
        Span<byte> bytes = stackalloc byte[24 + 1 + 8 + 8 + 4];
        "cretoai-fast/evidence/v1"u8.CopyTo(bytes);
        bytes[24] = (byte)key.Kind;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[25..], key.Epoch);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[33..], key.Round);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[41..], key.ValidatorIndex);
        return Sha3.Hash256(bytes);
    }

    private static Hash32 DowntimeId(Hash32 validator, ulong height)
    {
        Span<byte> bytes = stackalloc byte[24 + Hash32.Size + 8];
        "cretoai-fast/downtime/v1"u8.CopyTo(bytes);
        validator.CopyTo(bytes[24..]);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[56..], height);
        return Sha3.Hash256(bytes);
    }

    // ------------------------------------------------------------------ records

    private bool LoadProgress()
    {
        Span<byte> bytes = stackalloc byte[25];
        if (!_state.TryRead(ProgressKey, bytes, out var length))
        {
            return false;
        }

        Expect(length == 25 && bytes[0] == Version, "ledger progress record");
        _height = BinaryPrimitives.ReadUInt64LittleEndian(bytes[1..]);
        _timestampMs = BinaryPrimitives.ReadUInt64LittleEndian(bytes[9..]);
        _epoch = BinaryPrimitives.ReadUInt64LittleEndian(bytes[17..]);

        var participation = new byte[ParticipationSize];
        Expect(_state.TryRead(ParticipationKey, participation, out length) && length == ParticipationSize && participation[0] == Version
            && BinaryPrimitives.ReadInt32LittleEndian(participation.AsSpan(1)) == _candidates.Length, "participation record");
        for (var i = 0; i < _candidates.Length; i++)
        {
            var slot = participation.AsSpan(5 + (i * 9));
            _seenInWindow[i] = slot[0] != 0;
            _windowsThisEpoch[i] = BinaryPrimitives.ReadUInt32LittleEndian(slot[1..]);
            _missedInARow[i] = BinaryPrimitives.ReadUInt32LittleEndian(slot[5..]);
        }

        var snapshot = new byte[64 * 1024];
        Expect(_state.TryRead(QuorumKey, snapshot, out length), "adaptive quorum snapshot");
        try
        {
            _quorum = AdaptiveQuorum.Restore(Rules.Quorum, snapshot.AsSpan(0, length));
        }
        catch (FormatException e)
        {
            throw new StorageException(StorageError.StateCorrupt, $"The adaptive quorum snapshot is damaged: {e.Message}", e);
        }

        return true;
    }

    private void SaveProgress()
    {
        Span<byte> bytes = stackalloc byte[25];
        bytes[0] = Version;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[1..], _height);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[9..], _timestampMs);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[17..], _epoch);
        _state.Write(ProgressKey, bytes);
    }

    private int ParticipationSize => 5 + (_candidates.Length * 9);

    private void SaveParticipation()
    {
        var bytes = new byte[ParticipationSize];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), _candidates.Length);
        for (var i = 0; i < _candidates.Length; i++)
        {
            var slot = bytes.AsSpan(5 + (i * 9));
            slot[0] = _seenInWindow[i] ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteUInt32LittleEndian(slot[1..], _windowsThisEpoch[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(slot[5..], _missedInARow[i]);
        }

        _state.Write(ParticipationKey, bytes);
    }

    // Epoch weights: version, epoch u64, height u64, count i32, summary (eligible i32, uncapped u64,
    // cap u64, capped i32, total u64), then per candidate stake u64, reputation u32, uptime u32, weight u64.
    private const int EpochHeaderSize = 1 + 8 + 8 + 4 + 4 + 8 + 8 + 4 + 8;
    private const int EpochEntrySize = 24;

    private void SaveEpochWeights(EpochWeights weights)
    {
        var bytes = new byte[EpochHeaderSize + (_candidates.Length * EpochEntrySize)];
        var span = bytes.AsSpan();
        span[0] = Version;
        BinaryPrimitives.WriteUInt64LittleEndian(span[1..], weights.Epoch);
        BinaryPrimitives.WriteUInt64LittleEndian(span[9..], weights.ComputedAtHeight);
        BinaryPrimitives.WriteInt32LittleEndian(span[17..], _candidates.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[21..], weights.Summary.EligibleCount);
        BinaryPrimitives.WriteUInt64LittleEndian(span[25..], weights.Summary.UncappedTotal);
        BinaryPrimitives.WriteUInt64LittleEndian(span[33..], weights.Summary.Cap);
        BinaryPrimitives.WriteInt32LittleEndian(span[41..], weights.Summary.CappedCount);
        BinaryPrimitives.WriteUInt64LittleEndian(span[45..], weights.Summary.TotalWeight);
        for (var i = 0; i < _candidates.Length; i++)
        {
            var slot = span[(EpochHeaderSize + (i * EpochEntrySize))..];
            BinaryPrimitives.WriteUInt64LittleEndian(slot, weights.Stake[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(slot[8..], weights.ReputationPpm[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(slot[12..], weights.UptimePpm[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(slot[16..], weights.Weights[i]);
        }

        _state.Write(StateKey.For(StateNamespace.ValidatorLedger, EpochWeightsBase + weights.Epoch), bytes);
    }

    private EpochWeights? LoadEpochWeights(ulong epoch)
    {
        var bytes = new byte[EpochHeaderSize + (_candidates.Length * EpochEntrySize)];
        if (!_state.TryRead(StateKey.For(StateNamespace.ValidatorLedger, EpochWeightsBase + epoch), bytes, out var length))
        {
            return null;
        }

        var span = bytes.AsSpan();
        Expect(length == bytes.Length && span[0] == Version && BinaryPrimitives.ReadUInt64LittleEndian(span[1..]) == epoch
            && BinaryPrimitives.ReadInt32LittleEndian(span[17..]) == _candidates.Length, $"weights record of epoch {epoch}");
        var count = _candidates.Length;
        var stake = new ulong[count];
        var reputation = new uint[count];
        var uptime = new uint[count];
        var weights = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            var slot = span[(EpochHeaderSize + (i * EpochEntrySize))..];
            stake[i] = BinaryPrimitives.ReadUInt64LittleEndian(slot);
            reputation[i] = BinaryPrimitives.ReadUInt32LittleEndian(slot[8..]);
            uptime[i] = BinaryPrimitives.ReadUInt32LittleEndian(slot[12..]);
            weights[i] = BinaryPrimitives.ReadUInt64LittleEndian(slot[16..]);
        }

        var summary = new WeightSummary(
            BinaryPrimitives.ReadInt32LittleEndian(span[21..]),
            BinaryPrimitives.ReadUInt64LittleEndian(span[25..]),
            BinaryPrimitives.ReadUInt64LittleEndian(span[33..]),
            BinaryPrimitives.ReadInt32LittleEndian(span[41..]),
            BinaryPrimitives.ReadUInt64LittleEndian(span[45..]));
        return new EpochWeights
        {
            Epoch = epoch,
            ComputedAtHeight = BinaryPrimitives.ReadUInt64LittleEndian(span[9..]),
            Candidates = _candidates,
            Stake = stake,
            ReputationPpm = reputation,
            UptimePpm = uptime,
            Weights = weights,
            Summary = summary,
        };
    }

    private static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new StorageException(StorageError.StateCorrupt, $"The validator ledger's {what} is missing or damaged.");
        }
    }
}
