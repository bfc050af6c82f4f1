using System.Buffers;
using System.Collections.Concurrent;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Core;
using CretoAI.Fast.Wire.Client;
using CretoAI.Fast.Wire.Transactions;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// The apply thread: takes committed blocks in height order (already durable in the WAL), applies
/// them to the ledger (transaction signatures are batch-verified there, on all cores), archives
/// them with their outcome, then tells the mempool, waiters and subscribers. It also takes the
/// periodic checkpoint. Keeping this off the consensus thread keeps signature work off it too.
/// </summary>
public sealed partial class ValidatorNode
{
    private const int RecentBlocks = 512;

    private readonly ApplyQueue<ApplyItem> _applyQueue = new(capacity: 4096);
    private readonly ConcurrentDictionary<Hash32, TaskCompletionSource<ulong>> _waiters = new();
    private readonly ConcurrentDictionary<long, CommitSubscriber> _subscribers = new();
    private readonly ConcurrentDictionary<Hash32, ulong> _recentCommits = new();
    private readonly ConcurrentQueue<Hash32> _recentCommitOrder = new();
    private readonly CommittedBlockMessage?[] _recent = new CommittedBlockMessage?[RecentBlocks];
    private Thread? _applyThread;
    private Task? _catchUp;
    private ulong _appliedHeight;
    private long _lastBlockWalAddress = -1;
    private ulong _committedTransactions;
    private ulong _round;
    private ulong _blocksSinceCheckpoint;
    private Task? _checkpointInFlight;
    private volatile NodeStatus _status;
    private long _nextSubscriber;

    public NodeStatus Status => _status;

    /// <summary>Transactions in committed blocks since genesis (all verdicts).</summary>
    public ulong CommittedTransactions => Interlocked.Read(ref _committedTransactions);

    private void StartApplyThread()
    {
        // Every validator reaches a checkpoint interval at about the same time. Validator i of n starts
        // its count i/n of an interval in, so their checkpoints' disk writes (FASTER's index and log
        // flush, tens of MB) do not land together and slow every validator's WAL fsyncs at once.
        _blocksSinceCheckpoint = CheckpointStagger(_settings.CheckpointEveryBlocks, _me, _validators.Count);
        _applyThread = new Thread(ApplyLoop) { Name = "cretoai-apply", IsBackground = true };
        _applyThread.Start();
    }

    private void ApplyLoop()
    {
        try
        {
            foreach (var item in _applyQueue.GetConsumingEnumerable())
            {
                ApplyCommitted(item);
            }
        }
        catch (Exception ex) when (StopsTheNode(ex))
        {
            Fail("apply thread", ex);
        }
    }

    private void ApplyCommitted(ApplyItem item)
    {
        var block = item.Block;
        if (block.Height <= _appliedHeight)
        {
            return;
        }

        // Transactions this node admitted were verified then: the ledger does not check them again
        // (one verification per transaction per node). The block hashed each envelope for its id
        // already; those leaves are the transaction ids (SHA3-256 of the envelope).
        Hash32[] ids = [.. block.TransactionIds];

        var knownValid = new bool[ids.Length];
        _mempool.MarkHeld(ids, knownValid);
        var outcome = ApplyAndArchive(block, item.Certificate, item.Payload, knownValid);
        _committedUnapplied.TryRemove(block.Id, out _);
        _lastBlockWalAddress = item.WalAddress;
        _appliedHeight = block.Height;
        Interlocked.Add(ref _committedTransactions, (ulong)block.Transactions.Count);

        var entries = new TransactionResultEntry[block.Transactions.Count];
        foreach (var t in outcome.Transactions)
        {
            entries[t.Index] = new TransactionResultEntry(ids[t.Index], (byte)t.Verdict, t.Reason);
        }

        var message = new CommittedBlockMessage(block.Height, block.Id, outcome.StateHash, block.Round, block.TimestampMs, block.ProposerIndex, entries);
        _recent[(int)(block.Height % RecentBlocks)] = message;
        _mempool.Committed(ids);
        PublishStatus();

        var latency = Math.Max(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (long)block.TimestampMs) / 1000.0;
        _observer.BlockCommitted(block.Height, block.Transactions.Count, latency);
        _observer.MempoolSize(_mempool.Count, _mempool.Bytes);
        foreach (var slash in outcome.Slashes)
        {
            _log.LogWarning("Slashed at height {Height}: {Slash}.", block.Height, slash);
        }

        foreach (var id in ids)
        {
            if (_recentCommits.TryAdd(id, block.Height))
            {
                _recentCommitOrder.Enqueue(id);
                while (_recentCommitOrder.Count > 1 << 17 && _recentCommitOrder.TryDequeue(out var old))
                {
                    _recentCommits.TryRemove(old, out _);
                }
            }

            if (_waiters.TryRemove(id, out var waiter))
            {
                waiter.TrySetResult(block.Height);
            }
        }

        foreach (var subscriber in _subscribers.Values)
        {
            subscriber.Offer();
        }

        // The previous periodic checkpoint may still be being written: then this one waits for the
        // next block (the count keeps growing), so a slow disk delays checkpoints, not commits.
        if (++_blocksSinceCheckpoint >= (ulong)_settings.CheckpointEveryBlocks && _checkpointInFlight is not { IsCompleted: false })
        {
            _blocksSinceCheckpoint = 0;
            _checkpointInFlight = WatchCheckpoint(StartCheckpoint("periodic"));
        }
    }

    /// <summary>
    /// Blocks validator <paramref name="index"/> of <paramref name="count"/> counts as already applied
    /// towards its first checkpoint: <paramref name="every"/> × index ÷ count (0 for a non-validator).
    /// </summary>
    internal static ulong CheckpointStagger(int every, int index, int count) =>
        index <= 0 || count <= 1 ? 0 : (ulong)((long)every * Math.Min(index, count - 1) / count);

    /// <summary>A periodic checkpoint that fails to be written stops the node, as it did when the apply thread wrote it.</summary>
    private async Task WatchCheckpoint(Task checkpoint)
    {
        try
        {
            await checkpoint.ConfigureAwait(false);
        }
        catch (Exception ex) when (StopsTheNode(ex))
        {
            Fail("checkpoint writer", ex);
        }
    }

    internal int IndexOfValidator(Hash32 id) => _validators.IndexOf(id);

    internal void OnConsensusFrameFromServer(int from, in ReadOnlySequence<byte> payload) => OnConsensusFrame(from, payload);

    /// <summary>Starts streaming commit notices from <paramref name="fromHeight"/> (0: from the next commit) on <paramref name="stream"/>.</summary>
    internal void Subscribe(Net.ReplyStream stream, ulong fromHeight)
    {
        var subscriber = new CommitSubscriber(stream, fromHeight == 0 ? _appliedHeight + 1 : fromHeight, h => TryGetBlockMessage(h, out var m) ? m : null, () => _appliedHeight);
        var id = Interlocked.Increment(ref _nextSubscriber);
        _subscribers[id] = subscriber;
        _ = Task.Run(async () =>
        {
            try
            {
                await subscriber.PumpAsync(_stopping.Token).ConfigureAwait(false);
            }
            finally
            {
                _subscribers.TryRemove(id, out _);
            }
        });
    }

    private void PublishStatus()
    {
        var height = _appliedHeight;
        var recent = height == 0 ? null : _recent[(int)(height % RecentBlocks)];
        var blockHash = recent is { } r && r.Height == height ? r.BlockHash : _status?.BlockHash ?? Hash32.Zero;
        if (height > 0 && (recent is null || recent.Height != height) && _archive is not null)
        {
            blockHash = ReadArchived(height).Block.Id;
        }

        _status = new NodeStatus(
            _identity.NodeId,
            _chainId,
            height,
            blockHash,
            _ledger?.StateDigest.Hash ?? Hash32.Zero,
            _round,
            _ledger?.Epoch ?? 0,
            _links?.Connected ?? 0,
            _mempool.Count,
            _mempool.Bytes,
            _catchingUp);
    }

    /// <summary>Status with live fields (round, links, mempool) refreshed.</summary>
    internal NodeStatus LiveStatus() => _status with
    {
        Round = _round,
        ConnectedValidators = _links?.Connected ?? 0,
        MempoolTransactions = _mempool.Count,
        MempoolBytes = _mempool.Bytes,
        CatchingUp = _catchingUp,
    };

    /// <summary>The status as the client protocol reports it.</summary>
    internal StatusMessage StatusMessage()
    {
        var s = LiveStatus();
        return new StatusMessage(s.NodeId, s.ChainId, _me, s.Height, s.BlockHash, s.StateHash, s.Round, s.Epoch, s.ConnectedValidators, s.MempoolTransactions, s.MempoolBytes, s.CatchingUp, CommittedTransactions, (byte)(_ledger?.Quorum.DecidedLevel ?? default));
    }

    public bool TryGetCommittedBlock(ulong height, out CommittedBlockSummary block)
    {
        if (TryGetBlockMessage(height, out var message))
        {
            block = new CommittedBlockSummary(message.Height, message.BlockHash, message.StateHash, message.Round, message.TimestampMs, message.Transactions.Count);
            return true;
        }

        block = default;
        return false;
    }

    /// <summary>A committed block with its transaction verdicts, from memory for recent heights, else from the archive.</summary>
    internal bool TryGetBlockMessage(ulong height, out CommittedBlockMessage message)
    {
        if (height == 0 || height > _appliedHeight)
        {
            message = default!;
            return false;
        }

        if (_recent[(int)(height % RecentBlocks)] is { } recent && recent.Height == height)
        {
            message = recent;
            return true;
        }

        var (block, _, record) = ReadArchived(height);
        var (stateHash, verdicts) = ArchivedBlock.Outcome(record);
        var entries = new TransactionResultEntry[block.Transactions.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new TransactionResultEntry(TransactionIds.Of(block.Transactions[i]), verdicts[i].Verdict, verdicts[i].Reason);
        }

        message = new CommittedBlockMessage(block.Height, block.Id, stateHash, block.Round, block.TimestampMs, block.ProposerIndex, entries);
        return true;
    }

    public async ValueTask<ulong> WaitForCommitAsync(Hash32 transactionId, CancellationToken cancellationToken)
    {
        var waiter = _waiters.GetOrAdd(transactionId, _ => new TaskCompletionSource<ulong>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_recentCommits.TryGetValue(transactionId, out var height))
        {
            _waiters.TryRemove(transactionId, out _);
            waiter.TrySetResult(height);
        }

        await using (cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken)).ConfigureAwait(false))
        {
            return await waiter.Task.ConfigureAwait(false);
        }
    }

    /// <summary>A committed block for the apply thread; <c>Payload</c> is its committed-block encoding when the caller has it (catch-up), else null.</summary>
    private readonly record struct ApplyItem(Block Block, QuorumCertificate Certificate, byte[]? Payload, long WalAddress, long CommittedAt);
}
