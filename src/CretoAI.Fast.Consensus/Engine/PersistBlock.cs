using CretoAI.Fast.Consensus.Messages;

namespace CretoAI.Fast.Consensus.Engine;

/// <summary>
/// Make this block durable before sending anything that follows this output, and hand it back to
/// the engine's constructor after a restart. Emitted for a block the node is about to vote for and
/// for its own proposal before it is broadcast: a certified block must outlive a crash of every
/// node that voted for it, or no one can ever extend the QC that honest validators are locked on.
/// Writing is idempotent by <see cref="Block.Id"/>.
/// </summary>
public sealed class PersistBlock(Block block) : ConsensusOutput
{
    public Block Block { get; } = block;
}
