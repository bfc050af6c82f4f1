using CretoAI.Fast.Core;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// One running validator: storage, mempool, consensus driver, validator links, catch-up and the
/// client gateway, behind one listening port. The host (Generic Host, systemd, metrics endpoint,
/// CLI) drives it through this surface only.
/// </summary>
public interface IValidatorNode : IAsyncDisposable
{
    /// <summary>Opens storage (repairing a torn WAL tail), recovers, starts listening, catches up, joins consensus.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops accepting, drains in-flight work, writes a checkpoint, closes storage.</summary>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>A consistent snapshot of progress, for status queries, the live view and metrics.</summary>
    NodeStatus Status { get; }

    /// <summary>Verifies and admits one encoded transaction envelope into the mempool.</summary>
    ValueTask<SubmitStatus> SubmitAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken);

    /// <summary>Looks up a committed block by height (false when not committed or pruned).</summary>
    bool TryGetCommittedBlock(ulong height, out CommittedBlockSummary block);

    /// <summary>Completes with the commit height once the transaction is committed; waits until cancelled.</summary>
    ValueTask<ulong> WaitForCommitAsync(Hash32 transactionId, CancellationToken cancellationToken);
}
