using System.Buffers.Binary;
using CretoAI.Fast.Consensus.Evidence;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Consensus.Messages;

/// <summary>
/// A block: it extends the block its <see cref="Qc"/> certifies (its parent), carries opaque
/// transactions and equivocation evidence. Its id is computed from its content in the constructor,
/// so a block object can never claim an id that does not match what it holds: SHA3-256 over a
/// domain tag, the header fields, the SHA3-256 of each transaction (hashed four at a time, see
/// <see cref="Sha3Batch"/>) and each piece of evidence.
/// </summary>
public sealed class Block
{
    private readonly Hash32[] _transactionIds;

    public Block(Hash32 chainId, ulong epoch, ulong round, ulong height, QuorumCertificate qc, int proposerIndex, byte[][] transactions, EquivocationEvidence[] evidence, ulong timestampMs = 0)
    {
        TimestampMs = timestampMs;
        ChainId = chainId;
        Epoch = epoch;
        Round = round;
        Height = height;
        Qc = qc ?? throw new ArgumentNullException(nameof(qc));
        ProposerIndex = proposerIndex;
        Transactions = transactions ?? throw new ArgumentNullException(nameof(transactions));
        Evidence = evidence ?? throw new ArgumentNullException(nameof(evidence));
        _transactionIds = new Hash32[transactions.Length];
        Sha3Batch.Hash256(transactions, _transactionIds);
        Id = ComputeId();
    }

    public Hash32 Id { get; }

    public Hash32 ChainId { get; }

    public ulong Epoch { get; }

    public ulong Round { get; }

    public ulong Height { get; }

    /// <summary>The certificate this block extends; its block is this block's parent.</summary>
    public QuorumCertificate Qc { get; }

    public Hash32 ParentId => Qc.BlockId;

    /// <summary>
    /// The proposer's clock when it proposed (Unix milliseconds in the node; virtual time in the
    /// simulator). Never below the parent's (voters check it), so the committed chain carries a
    /// non-decreasing clock that replicated state machines use instead of any local clock.
    /// </summary>
    public ulong TimestampMs { get; }

    /// <summary>Index of the proposer in the epoch's validator set; -1 for genesis.</summary>
    public int ProposerIndex { get; }

    public IReadOnlyList<byte[]> Transactions { get; }

    /// <summary>
    /// SHA3-256 of each transaction's bytes, in block order: the leaves the block id is computed
    /// over, and (for signed envelopes) exactly the transaction ids clients know them by, so a node
    /// never hashes a block's transactions twice.
    /// </summary>
    public IReadOnlyList<Hash32> TransactionIds => _transactionIds;

    public IReadOnlyList<EquivocationEvidence> Evidence { get; }

    /// <summary>The root of the chain for an epoch: round 0, height 0, no proposer.</summary>
    public static Block Genesis(Hash32 chainId, ulong epoch, ulong timestampMs = 0) =>
        new(chainId, epoch, 0, 0, new QuorumCertificate(epoch, 0, 0, Hash32.Zero, [], []), -1, [], [], timestampMs);

    /// <summary>The certificate of the genesis block (no signatures; accepted only when it names this genesis).</summary>
    public static QuorumCertificate GenesisQc(Block genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        return new QuorumCertificate(genesis.Epoch, 0, 0, genesis.Id, [], []);
    }

    public override string ToString() => $"Block(r{Round} h{Height} {Id.ToShortString()} parent {ParentId.ToShortString()})";

    private Hash32 ComputeId()
    {
        var hash = Sha3.CreateHasher();
        Span<byte> header = stackalloc byte[128];
        "cretoai-fast/block/v2"u8.CopyTo(header);
        hash.Append(header[..21]);
        ChainId.CopyTo(header);
        BinaryPrimitives.WriteUInt64LittleEndian(header[32..], Epoch);
        BinaryPrimitives.WriteUInt64LittleEndian(header[40..], Round);
        BinaryPrimitives.WriteUInt64LittleEndian(header[48..], Height);
        Qc.BlockId.CopyTo(header[56..]);
        BinaryPrimitives.WriteUInt64LittleEndian(header[88..], Qc.Round);
        BinaryPrimitives.WriteUInt64LittleEndian(header[96..], Qc.Height);
        BinaryPrimitives.WriteInt32LittleEndian(header[104..], ProposerIndex);
        BinaryPrimitives.WriteInt32LittleEndian(header[108..], Transactions.Count);
        BinaryPrimitives.WriteInt32LittleEndian(header[112..], Evidence.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(header[116..], TimestampMs);
        hash.Append(header[..124]);
        Span<byte> leaf = stackalloc byte[Hash32.Size];
        foreach (var id in _transactionIds)
        {
            id.CopyTo(leaf);
            hash.Append(leaf);
        }

        foreach (var e in Evidence)
        {
            e.AppendIdentity(ref hash);
        }

        return hash.Finish();
    }
}
