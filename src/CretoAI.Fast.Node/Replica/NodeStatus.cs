using CretoAI.Fast.Core;

namespace CretoAI.Fast.Node.Replica;

/// <summary>Progress of one validator at one instant.</summary>
/// <param name="NodeId">SHA3-256 of this validator's public key.</param>
/// <param name="ChainId">Hash of the genesis parameters.</param>
/// <param name="Height">Height of the last committed block (0 = genesis only).</param>
/// <param name="BlockHash">Id of the last committed block.</param>
/// <param name="StateHash">Hash of the application state after that block.</param>
/// <param name="Round">Current consensus round.</param>
/// <param name="Epoch">Current epoch.</param>
/// <param name="ConnectedValidators">Validator links currently authenticated.</param>
/// <param name="MempoolTransactions">Transactions waiting.</param>
/// <param name="MempoolBytes">Bytes waiting.</param>
/// <param name="CatchingUp">True while fetching certified blocks from peers instead of voting.</param>
public sealed record NodeStatus(
    Hash32 NodeId,
    Hash32 ChainId,
    ulong Height,
    Hash32 BlockHash,
    Hash32 StateHash,
    ulong Round,
    ulong Epoch,
    int ConnectedValidators,
    int MempoolTransactions,
    long MempoolBytes,
    bool CatchingUp);
