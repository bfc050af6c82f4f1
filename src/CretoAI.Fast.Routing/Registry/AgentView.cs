using CretoAI.Fast.Core;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Routing.Registry;

/// <summary>
/// A read-only view of one agent as of the block last applied when it was looked up
/// (<see cref="AgentRegistry.TryGetAgent"/>). A struct over an immutable snapshot shared with the
/// registry's hot set: taking it, copying it and reading its spans allocate nothing, and it stays
/// valid (and unchanged) however the agent changes later. <c>default</c> is an empty view
/// (<see cref="IsEmpty"/>); reading its fields throws.
/// </summary>
public readonly struct AgentView
{
    private const int HeaderSize = 18;
    private const int ProfileOffset = HeaderSize + SignedTransaction.PublicKeySize;

    private readonly AgentSnapshot? _snapshot;

    internal AgentView(AgentSnapshot snapshot) => _snapshot = snapshot;

    /// <summary>True for <c>default(AgentView)</c>, the value of a failed lookup.</summary>
    public bool IsEmpty => _snapshot is null;

    /// <summary>SHA3-256 of <see cref="PublicKey"/>.</summary>
    public Hash32 AgentId => Snapshot.AgentId;

    public AgentStatus Status => Snapshot.Status;

    /// <summary>True when the agent is in good standing (not suspended, not revoked).</summary>
    public bool IsActive => Snapshot.Status == AgentStatus.Active;

    /// <summary>The agent's ML-DSA-87 public key (2,592 bytes). Never changes for an agent id.</summary>
    public ReadOnlySpan<byte> PublicKey => Snapshot.Record.AsSpan(HeaderSize, SignedTransaction.PublicKeySize);

    /// <summary>Height of the block that registered the agent.</summary>
    public ulong RegisteredAtHeight => Snapshot.RegisteredAtHeight;

    /// <summary>Height of the block that last changed the record (registration, update, status change).</summary>
    public ulong UpdatedAtHeight => Snapshot.UpdatedAtHeight;

    /// <summary>
    /// The subject under which the reputation tracker (<c>ReputationTracker</c>, namespace
    /// <c>ReputationRecord</c>) keeps this agent's score and history: the agent id itself, so the reference
    /// can never point at anyone else and needs no bytes of its own in the record.
    /// </summary>
    public Hash32 ReputationSubject => Snapshot.AgentId;

    /// <summary>The display name, UTF-8 (1..64 bytes, no control characters).</summary>
    public ReadOnlySpan<byte> DisplayNameUtf8
    {
        get
        {
            var profile = Profile;
            return profile.Slice(1, profile[0]);
        }
    }

    /// <summary>Number of tags (0..16).</summary>
    public int TagCount
    {
        get
        {
            var profile = Profile;
            return profile[1 + profile[0]];
        }
    }

    /// <summary>The profile exactly as accepted (docs/agents.md, "Profile body").</summary>
    public ReadOnlySpan<byte> ProfileBytes => Profile;

    private AgentSnapshot Snapshot => _snapshot ?? throw new InvalidOperationException("An empty AgentView has no agent; check the lookup's result first.");

    private ReadOnlySpan<byte> Profile => Snapshot.Record.AsSpan(ProfileOffset);

    /// <summary>Tag <paramref name="index"/> (ASCII bytes of <c>[a-z0-9._-]</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="TagCount"/>.</exception>
    public ReadOnlySpan<byte> TagAt(int index)
    {
        var profile = Profile;
        var offset = 1 + profile[0];
        var count = profile[offset++];
        if ((uint)index >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The agent has {count} tags.");
        }

        for (var t = 0; t < index; t++)
        {
            offset += 1 + profile[offset];
        }

        return profile.Slice(offset + 1, profile[offset]);
    }

    /// <summary>True when the agent carries tag <paramref name="tag"/> (ASCII bytes).</summary>
    public bool HasTag(ReadOnlySpan<byte> tag)
    {
        var profile = Profile;
        var offset = 1 + profile[0];
        var count = profile[offset++];
        for (var t = 0; t < count; t++)
        {
            if (profile.Slice(offset + 1, profile[offset]).SequenceEqual(tag))
            {
                return true;
            }

            offset += 1 + profile[offset];
        }

        return false;
    }

    /// <summary>A detached copy with strings (allocates; for tools and tests, not the hot path).</summary>
    public AgentRecord ToRecord()
    {
        var snapshot = Snapshot;
        var (name, tags) = AgentProfile.Decode(Profile);
        return new AgentRecord(snapshot.AgentId, PublicKey.ToArray(), name, tags, snapshot.Status, snapshot.RegisteredAtHeight, snapshot.UpdatedAtHeight);
    }

    public override string ToString() => _snapshot is null ? "AgentView(empty)" : $"AgentView({AgentId.ToShortString()} {Status})";
}
