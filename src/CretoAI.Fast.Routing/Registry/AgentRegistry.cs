using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Reputation;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.State;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Routing.Registry;

/// <summary>
/// The replicated registry of agents, fed by the <see cref="ValidatorLedger"/> as the applier of
/// <see cref="TransactionKind.AgentRegister"/>, <see cref="TransactionKind.AgentUpdate"/>,
/// <see cref="TransactionKind.AgentRevoke"/> and the validators' <see cref="TransactionKind.AgentPolicy"/> votes. An agent is its ML-DSA-87 key: its id is SHA3-256 of
/// the key that signed its registration, and every later operation on the record must be signed by
/// that key (the record is keyed by the sender, so nobody can even name another agent's record).
/// Rules and layouts: docs/agents.md. Everything lives in the <see cref="IReplicatedState"/>; a
/// refused operation writes nothing.
/// <para>
/// Threads: the operations that change records (<see cref="Apply"/>, <see cref="Suspend"/>,
/// <see cref="Reinstate"/>, <see cref="RevokeByPolicy"/>) run on the one thread that applies blocks.
/// The lookups (<see cref="TryGetAgent"/>, <see cref="IsActive"/>, <see cref="VerifySignature"/>,
/// <see cref="TryGet"/>) may run on any thread at the same time, provided the state's reads are
/// thread-safe (the node's <see cref="StoreReplicatedState"/> is; <see cref="MemoryReplicatedState"/> is
/// not). They are served from a bounded hot set of recently used records (<see cref="AgentHotSet"/>,
/// no lock, no allocation) and otherwise from the state — the sharded store keeps records beyond its
/// memory budget in its log file on disk, so a million agents do not need a million keys in memory.
/// The hot set is a cache, never part of the state: decisions read the state.
/// </para>
/// <para>
/// Record (<see cref="StateNamespace.AgentRecord"/>, keyed by agent id), little-endian: [0] version =
/// 1; [1] status; [2..10) registration height u64; [10..18) last-change height u64; [18..2610) public
/// key; then the profile (<see cref="AgentProfile"/>, exactly the bytes of the last accepted body).
/// </para>
/// </summary>
public sealed class AgentRegistry : ITransactionApplier
{
    public const int MaxNameBytes = AgentProfile.MaxNameBytes;
    public const int MaxTags = AgentProfile.MaxTags;
    public const int MaxTagBytes = AgentProfile.MaxTagBytes;

    /// <summary>Bytes of an <see cref="TransactionKind.AgentPolicy"/> body: agent id, action, last-change height.</summary>
    public const int PolicyBodySize = Hash32.Size + 1 + 8;

    /// <summary>Most voters one policy decision records (far above any validator set).</summary>
    public const int MaxPolicyVoters = 1024;

    private const byte VotesVersion = 1;

    private const byte RecordVersion = 1;
    private const int HeaderSize = 18;
    private const int ProfileOffset = HeaderSize + SignedTransaction.PublicKeySize;
    private const int MaxRecordSize = ProfileOffset + AgentProfile.MaxEncodedSize;

    private readonly IReplicatedState _state;
    private readonly AgentHotSet _hotSet;
    private readonly MLDsa87KeyCache _keyCache;
    private IAgentPolicyQuorum? _quorum;

    /// <summary>A registry over <paramref name="state"/> (created after the state is recovered: the hot set starts empty and sees only this registry's writes).</summary>
    /// <exception cref="InvalidSettingException">A bad option.</exception>
    public AgentRegistry(IReplicatedState state, AgentRegistryOptions? options = null)
    {
        _state = state ?? throw new ArgumentNullException(nameof(state));
        options = (options ?? new AgentRegistryOptions()).Validate();
        _hotSet = new AgentHotSet(options.HotSetCapacity);
        _keyCache = options.KeyCache;
    }

    /// <summary>Slots of the hot set (<see cref="AgentRegistryOptions.HotSetCapacity"/>).</summary>
    public int HotSetCapacity => _hotSet.Capacity;

    /// <summary>Cold lookups so far whose record was then kept in the hot set (diagnostics).</summary>
    public long HotSetFills => _hotSet.Fills;

    /// <summary>The id of the agent whose key is <paramref name="publicKey"/>.</summary>
    public static Hash32 AgentIdOf(ReadOnlySpan<byte> publicKey) => Sha3.Hash256(publicKey);

    public bool Handles(TransactionKind kind) => kind is TransactionKind.AgentRegister or TransactionKind.AgentUpdate or TransactionKind.AgentRevoke or TransactionKind.AgentPolicy;

    /// <summary>
    /// Lets validators' <see cref="TransactionKind.AgentPolicy"/> votes count (without it every vote is
    /// refused with <see cref="AgentRejection.PolicyUnavailable"/>). Set once, before the first block is
    /// applied, on every validator alike: it is a chain rule. Typically a <see cref="LedgerPolicyQuorum"/>
    /// over the ledger this registry is an applier of.
    /// </summary>
    /// <exception cref="InvalidOperationException">A quorum is already set.</exception>
    public void GovernBy(IAgentPolicyQuorum quorum)
    {
        ArgumentNullException.ThrowIfNull(quorum);
        if (_quorum is not null)
        {
            throw new InvalidOperationException("The agent registry already has its policy quorum.");
        }

        _quorum = quorum;
    }

    /// <exception cref="ArgumentOutOfRangeException">A kind this registry does not handle.</exception>
    /// <exception cref="ArgumentException">A register whose sender is not the hash of its key (a caller's bug; the ledger never does it).</exception>
    public ApplierOutcome Apply(TransactionKind kind, Hash32 sender, ReadOnlySpan<byte> senderPublicKey, ulong nonce, ReadOnlySpan<byte> body, BlockContext at) => kind switch
    {
        TransactionKind.AgentRegister => Register(sender, senderPublicKey, body, at),
        TransactionKind.AgentUpdate => Update(sender, body, at),
        TransactionKind.AgentRevoke => Revoke(sender, body, at),
        TransactionKind.AgentPolicy => Vote(sender, body, at),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "The agent registry applies register, update and revoke transactions only."),
    };

    /// <summary>
    /// The agent as of the last applied block, from any thread; false (and an empty view) when the id was
    /// never registered. From the hot set this is a load and a compare and allocates nothing; otherwise
    /// the record is read from the state (from disk when it is beyond the store's memory budget), checked,
    /// and kept in the hot set in place of whatever used its slot.
    /// </summary>
    /// <exception cref="StorageException">The stored record is damaged (<see cref="StorageError.StateCorrupt"/>).</exception>
    public bool TryGetAgent(in Hash32 agentId, out AgentView view)
    {
        var cached = _hotSet.Find(agentId, out var observed);
        if (cached is not null)
        {
            view = new AgentView(cached);
            return true;
        }

        return TryGetCold(agentId, observed, out view);
    }

    /// <summary>True when a lookup of <paramref name="agentId"/> would be served by the hot set (tests and benchmarks).</summary>
    internal bool IsHot(in Hash32 agentId) => _hotSet.Find(agentId, out _) is not null;

    /// <summary>True when the agent is registered and <see cref="AgentStatus.Active"/>: the router's admission check.</summary>
    /// <exception cref="StorageException">The stored record is damaged.</exception>
    public bool IsActive(in Hash32 agentId) => TryGetAgent(agentId, out var view) && view.IsActive;

    /// <summary>
    /// Checks that an active agent signed <paramref name="message"/> under <paramref name="context"/>: the
    /// key comes from the registry (hot set or store) and the expanded key from the ML-DSA-87 key cache
    /// (<see cref="AgentRegistryOptions.KeyCache"/>), so repeated checks of the same agent neither expand
    /// its key again nor allocate. Never throws for a bad signature.
    /// </summary>
    /// <exception cref="StorageException">The stored record is damaged.</exception>
    public AgentSignatureCheck VerifySignature(in Hash32 agentId, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature)
    {
        if (!TryGetAgent(agentId, out var view))
        {
            return AgentSignatureCheck.UnknownAgent;
        }

        return view.Status switch
        {
            AgentStatus.Active => _keyCache.Verify(view.PublicKey, message, context, signature) ? AgentSignatureCheck.Valid : AgentSignatureCheck.BadSignature,
            AgentStatus.Suspended => AgentSignatureCheck.Suspended,
            _ => AgentSignatureCheck.Revoked,
        };
    }

    /// <summary>The agent's record as a detached copy with strings (allocates; tools and tests); false when the id was never registered.</summary>
    /// <exception cref="StorageException">The stored record is damaged.</exception>
    public bool TryGet(Hash32 agentId, [NotNullWhen(true)] out AgentRecord? record)
    {
        record = TryGetAgent(agentId, out var view) ? view.ToRecord() : null;
        return record is not null;
    }

    /// <summary>
    /// Puts an active agent on hold: it can no longer update its profile (it can still revoke itself).
    /// Not a client transaction: carried out when validators' <see cref="TransactionKind.AgentPolicy"/> votes
    /// reach a quorum, or by a replicated state machine (compliance, reputation) carrying out a committed
    /// decision, on every validator at the same height.
    /// </summary>
    public ApplierOutcome Suspend(Hash32 agentId, BlockContext at) => ChangeStatus(agentId, AgentStatus.Suspended, at);

    /// <summary>Returns a suspended agent to <see cref="AgentStatus.Active"/>; same callers as <see cref="Suspend"/>.</summary>
    public ApplierOutcome Reinstate(Hash32 agentId, BlockContext at) => ChangeStatus(agentId, AgentStatus.Active, at);

    /// <summary>
    /// Revokes an active or suspended agent by policy rather than by its own signature; as final as a
    /// self-revocation (the id can never register again). Same callers as <see cref="Suspend"/>.
    /// </summary>
    public ApplierOutcome RevokeByPolicy(Hash32 agentId, BlockContext at) => ChangeStatus(agentId, AgentStatus.Revoked, at);

    /// <summary>
    /// Test and benchmark path, never a chain operation: writes exactly the record a committed
    /// <see cref="TransactionKind.AgentRegister"/> from <paramref name="publicKey"/> with
    /// <paramref name="profile"/> at <paramref name="at"/> would write (same checks, same state digest),
    /// without a transaction, a signature or a nonce — so a million agents can be set up without signing
    /// a million ML-DSA transactions. The node never calls it; a chain built this way is not one its
    /// validators could replay.
    /// </summary>
    internal ApplierOutcome RegisterUnsigned(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> profile, BlockContext at) =>
        Register(AgentIdOf(publicKey), publicKey, profile, at);

    private ApplierOutcome Register(Hash32 sender, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> body, BlockContext at)
    {
        if (publicKey.Length != SignedTransaction.PublicKeySize || AgentIdOf(publicKey) != sender)
        {
            throw new ArgumentException("The sender of a register transaction must be SHA3-256 of its ML-DSA-87 public key.", nameof(sender));
        }

        var invalid = CheckProfile(body);
        if (invalid is { } refusal)
        {
            return refusal;
        }

        Span<byte> buffer = stackalloc byte[MaxRecordSize + 1];
        if (TryLoad(sender, buffer, out _))
        {
            return (AgentStatus)buffer[1] == AgentStatus.Revoked
                ? Refuse(AgentRejection.Revoked, $"agent {sender.ToShortString()} is revoked; its id cannot be registered again")
                : Refuse(AgentRejection.AlreadyRegistered, $"agent {sender.ToShortString()} is already registered (since height {BinaryPrimitives.ReadUInt64LittleEndian(buffer[2..]):N0})");
        }

        var record = buffer[..(ProfileOffset + body.Length)];
        WriteHeader(record, AgentStatus.Active, at.Height, at.Height);
        publicKey.CopyTo(record[HeaderSize..]);
        body.CopyTo(record[ProfileOffset..]);
        _state.Write(KeyOf(sender), record);
        return ApplierOutcome.Applied;
    }

    private ApplierOutcome Update(Hash32 sender, ReadOnlySpan<byte> body, BlockContext at)
    {
        var invalid = CheckProfile(body);
        if (invalid is { } refusal)
        {
            return refusal;
        }

        Span<byte> buffer = stackalloc byte[MaxRecordSize + 1];
        var state = Existing(sender, buffer, out _);
        if (state is { } notThere)
        {
            return notThere;
        }

        if ((AgentStatus)buffer[1] == AgentStatus.Suspended)
        {
            return Refuse(AgentRejection.Suspended, $"agent {sender.ToShortString()} is suspended and cannot update its profile");
        }

        var record = buffer[..(ProfileOffset + body.Length)];
        WriteHeader(record, AgentStatus.Active, BinaryPrimitives.ReadUInt64LittleEndian(buffer[2..]), at.Height);
        body.CopyTo(record[ProfileOffset..]);
        Store(sender, record);
        return ApplierOutcome.Applied;
    }

    private ApplierOutcome Revoke(Hash32 sender, ReadOnlySpan<byte> body, BlockContext at)
    {
        if (!body.IsEmpty)
        {
            return ApplierOutcome.Malformed((byte)AgentRejection.MalformedBody, $"a revoke body is empty, got {body.Length} bytes");
        }

        Span<byte> buffer = stackalloc byte[MaxRecordSize + 1];
        var state = Existing(sender, buffer, out var length);
        if (state is { } notThere)
        {
            return notThere;
        }

        WriteHeader(buffer, AgentStatus.Revoked, BinaryPrimitives.ReadUInt64LittleEndian(buffer[2..]), at.Height);
        Store(sender, buffer[..length]);
        return ApplierOutcome.Applied;
    }

    private ApplierOutcome ChangeStatus(Hash32 agentId, AgentStatus status, BlockContext at)
    {
        Span<byte> buffer = stackalloc byte[MaxRecordSize + 1];
        var state = Existing(agentId, buffer, out var length);
        if (state is { } notThere)
        {
            return notThere;
        }

        var current = (AgentStatus)buffer[1];
        if (status == AgentStatus.Suspended && current == AgentStatus.Suspended)
        {
            return Refuse(AgentRejection.Suspended, $"agent {agentId.ToShortString()} is already suspended");
        }

        if (status == AgentStatus.Active && current != AgentStatus.Suspended)
        {
            return Refuse(AgentRejection.NotSuspended, $"agent {agentId.ToShortString()} is {current}, not suspended");
        }

        WriteHeader(buffer, status, BinaryPrimitives.ReadUInt64LittleEndian(buffer[2..]), at.Height);
        Store(agentId, buffer[..length]);
        return ApplierOutcome.Applied;
    }

    // A validator's policy vote: checked like the action itself, recorded, and carried out once the voters' weight reaches the quorum.
    private ApplierOutcome Vote(Hash32 sender, ReadOnlySpan<byte> body, BlockContext at)
    {
        if (body.Length != PolicyBodySize || (AgentPolicyAction)body[Hash32.Size] is not (AgentPolicyAction.Suspend or AgentPolicyAction.Reinstate or AgentPolicyAction.Revoke))
        {
            return ApplierOutcome.Malformed((byte)AgentRejection.MalformedBody, $"a policy body is {PolicyBodySize} bytes (agent id, action 1..3, height), got {body.Length} bytes");
        }

        if (_quorum is null)
        {
            return Refuse(AgentRejection.PolicyUnavailable, "this chain counts no validator policy votes");
        }

        var weight = _quorum.WeightOf(sender);
        if (weight == 0)
        {
            return Refuse(AgentRejection.NotAValidator, $"{sender.ToShortString()} is not in this block's validator set");
        }

        var agentId = new Hash32(body[..Hash32.Size]);
        var action = (AgentPolicyAction)body[Hash32.Size];
        var judged = BinaryPrimitives.ReadUInt64LittleEndian(body[(Hash32.Size + 1)..]);
        Span<byte> record = stackalloc byte[MaxRecordSize + 1];
        var state = Existing(agentId, record, out _);
        if (state is { } notThere)
        {
            return notThere;
        }

        var status = (AgentStatus)record[1];
        if (action == AgentPolicyAction.Suspend && status == AgentStatus.Suspended)
        {
            return Refuse(AgentRejection.Suspended, $"agent {agentId.ToShortString()} is already suspended");
        }

        if (action == AgentPolicyAction.Reinstate && status != AgentStatus.Suspended)
        {
            return Refuse(AgentRejection.NotSuspended, $"agent {agentId.ToShortString()} is {status}, not suspended");
        }

        var lastChange = BinaryPrimitives.ReadUInt64LittleEndian(record[10..]);
        if (judged != lastChange)
        {
            return Refuse(AgentRejection.StaleDecision, $"the vote judges agent {agentId.ToShortString()} as of height {judged:N0}; its record last changed at {lastChange:N0}");
        }

        // Votes are keyed by what they judge (agent, action, record height): a change to the record leaves them behind.
        var votesKey = StateKey.For(StateNamespace.AgentPolicyVotes, body);
        var votes = new byte[3 + (MaxPolicyVoters * Hash32.Size)];
        var count = 0;
        if (_state.TryRead(votesKey, votes, out var length))
        {
            count = BinaryPrimitives.ReadUInt16LittleEndian(votes.AsSpan(1));
            if (votes[0] != VotesVersion || length != 3 + (count * Hash32.Size))
            {
                throw new StorageException(StorageError.StateCorrupt, $"The policy votes on agent {agentId.ToShortString()} are damaged ({length} bytes).");
            }
        }

        ulong total = weight;
        for (var v = 0; v < count; v++)
        {
            var voter = new Hash32(votes.AsSpan(3 + (v * Hash32.Size), Hash32.Size));
            if (voter == sender)
            {
                return Refuse(AgentRejection.AlreadyVoted, $"{sender.ToShortString()} already voted to {action} agent {agentId.ToShortString()}");
            }

            total += _quorum.WeightOf(voter);
        }

        if (_quorum.ReachesQuorum(total, at))
        {
            if (count > 0)
            {
                _state.Remove(votesKey);
            }

            // Checked above against the same record, so this applies.
            return action switch
            {
                AgentPolicyAction.Suspend => Suspend(agentId, at),
                AgentPolicyAction.Reinstate => Reinstate(agentId, at),
                _ => RevokeByPolicy(agentId, at),
            };
        }

        if (count >= MaxPolicyVoters)
        {
            return Refuse(AgentRejection.AlreadyVoted, $"{MaxPolicyVoters} validators already voted on agent {agentId.ToShortString()} without a quorum");
        }

        votes[0] = VotesVersion;
        BinaryPrimitives.WriteUInt16LittleEndian(votes.AsSpan(1), (ushort)(count + 1));
        sender.CopyTo(votes.AsSpan(3 + (count * Hash32.Size)));
        _state.Write(votesKey, votes.AsSpan(0, 3 + ((count + 1) * Hash32.Size)));
        return ApplierOutcome.Applied;
    }

    // A changed record of an existing agent: the state first, then the hot set (see AgentHotSet for why this order).
    private void Store(Hash32 agentId, ReadOnlySpan<byte> record)
    {
        _state.Write(KeyOf(agentId), record);
        _hotSet.Publish(new AgentSnapshot(agentId, record.ToArray()));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryGetCold(Hash32 agentId, AgentSnapshot? observed, out AgentView view)
    {
        Span<byte> buffer = stackalloc byte[MaxRecordSize + 1];
        if (!TryLoad(agentId, buffer, out var length))
        {
            view = default;
            return false;
        }

        var snapshot = new AgentSnapshot(agentId, buffer[..length].ToArray());
        _hotSet.TryFill(snapshot, observed);
        view = new AgentView(snapshot);
        return true;
    }

    // The record of an agent that exists and is not revoked, or the refusal.
    private ApplierOutcome? Existing(Hash32 agentId, Span<byte> buffer, out int length)
    {
        if (!TryLoad(agentId, buffer, out length))
        {
            return Refuse(AgentRejection.NotRegistered, $"agent {agentId.ToShortString()} is not registered");
        }

        return (AgentStatus)buffer[1] == AgentStatus.Revoked
            ? Refuse(AgentRejection.Revoked, $"agent {agentId.ToShortString()} is revoked")
            : null;
    }

    private static ApplierOutcome? CheckProfile(ReadOnlySpan<byte> body)
    {
        var rejection = AgentProfile.Validate(body, out var reason);
        return rejection switch
        {
            AgentRejection.None => null,
            AgentRejection.MalformedBody => ApplierOutcome.Malformed((byte)rejection, reason!),
            _ => Refuse(rejection, reason!),
        };
    }

    private static ApplierOutcome Refuse(AgentRejection rejection, string reason) => ApplierOutcome.Rejected((byte)rejection, reason);

    private static void WriteHeader(Span<byte> record, AgentStatus status, ulong registeredAt, ulong updatedAt)
    {
        record[0] = RecordVersion;
        record[1] = (byte)status;
        BinaryPrimitives.WriteUInt64LittleEndian(record[2..], registeredAt);
        BinaryPrimitives.WriteUInt64LittleEndian(record[10..], updatedAt);
    }

    private static StateKey KeyOf(Hash32 agentId) => StateKey.For(StateNamespace.AgentRecord, agentId);

    // Reads and checks a record: damage is a StorageException, never a wrong answer.
    private bool TryLoad(Hash32 agentId, Span<byte> buffer, out int length)
    {
        bool found;
        try
        {
            found = _state.TryRead(KeyOf(agentId), buffer, out length);
        }
        catch (InvalidOperationException e)
        {
            throw Corrupt(agentId, $"longer than the largest valid record ({MaxRecordSize} bytes)", e);
        }

        if (!found)
        {
            return false;
        }

        var record = buffer[..length];
        if (length < ProfileOffset + 2 || record[0] != RecordVersion)
        {
            throw Corrupt(agentId, length == 0 ? "empty" : $"{length} bytes, version {record[0]}");
        }

        if ((AgentStatus)record[1] is not (AgentStatus.Active or AgentStatus.Suspended or AgentStatus.Revoked))
        {
            throw Corrupt(agentId, $"status {record[1]}");
        }

        if (AgentProfile.Validate(record[ProfileOffset..], out var reason) != AgentRejection.None)
        {
            throw Corrupt(agentId, $"profile: {reason}");
        }

        return true;
    }

    private static StorageException Corrupt(Hash32 agentId, string detail) =>
        new(StorageError.StateCorrupt, $"The agent record of {agentId.ToShortString()} is damaged: {detail}.");

    private static StorageException Corrupt(Hash32 agentId, string detail, Exception inner) =>
        new(StorageError.StateCorrupt, $"The agent record of {agentId.ToShortString()} is damaged: {detail}.", inner);
}
