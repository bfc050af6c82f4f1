using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Messages;

/// <summary>Asks a peer for a block it referenced and up to <see cref="MaxAncestors"/> of its ancestors.</summary>
public sealed class BlockRequest : ConsensusMessage
{
    public const int MaxAncestorsLimit = 32;

    public BlockRequest(ulong epoch, Hash32 blockId, int maxAncestors)
        : base(epoch)
    {
        BlockId = blockId;
        MaxAncestors = Math.Clamp(maxAncestors, 0, MaxAncestorsLimit);
    }

    public Hash32 BlockId { get; }

    public int MaxAncestors { get; }
}
