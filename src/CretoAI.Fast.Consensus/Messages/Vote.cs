using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Messages;

/// <summary>A validator's signed vote for a block in a round; sent to the leader of the next round.</summary>
public sealed class Vote : ConsensusMessage
{
    public Vote(ulong epoch, ulong round, ulong height, Hash32 blockId, int voterIndex, byte[] signature)
        : base(epoch)
    {
        Round = round;
        Height = height;
        BlockId = blockId;
        VoterIndex = voterIndex;
        Signature = signature ?? throw new ArgumentNullException(nameof(signature));
    }

    public ulong Round { get; }

    public ulong Height { get; }

    public Hash32 BlockId { get; }

    public int VoterIndex { get; }

    public byte[] Signature { get; }

    public override string ToString() => $"Vote(r{Round} {BlockId.ToShortString()} by {VoterIndex})";
}
