namespace CretoAI.Fast.Consensus.Messages;

/// <summary>Blocks sent in answer to a <see cref="BlockRequest"/>: the requested block first, then its ancestors.</summary>
public sealed class BlockResponse : ConsensusMessage
{
    public BlockResponse(ulong epoch, Block[] blocks)
        : base(epoch) => Blocks = blocks ?? throw new ArgumentNullException(nameof(blocks));

    public IReadOnlyList<Block> Blocks { get; }
}
