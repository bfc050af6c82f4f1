using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using CretoAI.Fast.Consensus.Engine;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Messages.Codec;
using CretoAI.Fast.Core;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.Blocks;
using CretoAI.Fast.Storage.State;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Replica;

public sealed partial class ValidatorNode
{
    private static readonly ConsensusCodecLimits CodecLimits = new();

    /// <summary>The agent registry this node's ledger applies agent transactions to (null before start).</summary>
    public AgentRegistry? Agents { get; private set; }

    private SafetyState? _recoveredSafety;
    private Block? _recoveredTip;

    /// <summary>
    /// Blocks this node proposed or voted for above its committed height, with their WAL record:
    /// written by the consensus thread, read by checkpoints (any thread). A checkpoint prunes the WAL
    /// up to the last committed block, which can be after these blocks' records, so it writes them
    /// again: losing them on every validator (all stopped after a checkpoint) would leave the highest
    /// certificate naming a block nobody has, and no proposal could ever be voted on again.
    /// </summary>
    private readonly ConcurrentDictionary<Hash32, Block> _votedAboveTip = new();

    /// <summary>
    /// Committed blocks whose WAL commit record is a certificate only (the block is in a voted
    /// record), until the apply thread has archived them. A checkpoint writes these again as voted
    /// records, like <see cref="_votedAboveTip"/>: it prunes the WAL up to the last applied block,
    /// which can be after their voted records.
    /// </summary>
    private readonly ConcurrentDictionary<Hash32, Block> _committedUnapplied = new();

    // Archive records are built here, one block at a time (apply thread, or recovery before it starts).
    private readonly ArrayBufferWriter<byte> _archiveWriter = new(1 << 20);

    /// <summary>
    /// Opens storage and brings the ledger to the last committed block: restore the newest
    /// checkpoint, re-apply archived blocks above it, then scan the WAL for committed blocks the
    /// archive lacks (appending and applying them), the newest safety state and voted blocks.
    /// </summary>
    private void Recover()
    {
        var clock = Stopwatch.StartNew();
        var dataDirectory = Path.GetFullPath(_settings.DataDirectory);
        var storageLog = _loggers.CreateLogger("cretoai.storage");
        if (_storageOpening is not null)
        {
            if (!string.Equals(_storageOpening.DataDirectory, dataDirectory, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The storage opened early is '{_storageOpening.DataDirectory}' but this node's data directory is '{dataDirectory}'.");
            }

            (_storage, _archive) = _storageOpening.Take(storageLog);
        }
        else
        {
            _storage = NodeStorage.Open(new NodeStorageOptions { DataDirectory = dataDirectory }, storageLog);
            _archive = BlockArchive.Open(Path.Combine(dataDirectory, "blocks"), storageLog);
        }

        if (!_storage.Wal.Recovery.IsClean)
        {
            _log.LogWarning(
                "WAL damage found at address {Address} ({Reason}); records from there on are ignored and later records are appended after the last valid one.",
                _storage.Wal.Recovery.CorruptAddress,
                _storage.Wal.Recovery.CorruptionReason);
        }

        var state = new StoreReplicatedState(_storage.State);
        Agents = new AgentRegistry(state);
        _ledger = new ValidatorLedger(state, _genesis.LedgerRules, _chainId, _validators, _genesis.CreateLedgerValidators(), _batchVerifier, [Agents]);
        Agents.GovernBy(new LedgerPolicyQuorum(_ledger));
        if (!_ledger.IsInitialized)
        {
            _ledger.InitializeGenesis(_genesis.GenesisTimeMs);
        }

        // 1. The archive is flushed before every checkpoint, so it reaches at least the ledger's height.
        if (_archive.Height < _ledger.Height)
        {
            throw new StorageException(StorageError.StateCorrupt, $"The block archive ends at height {_archive.Height} but the checkpointed state is at height {_ledger.Height}; the data directory is inconsistent.");
        }

        var reapplied = 0;
        for (var h = _ledger.Height + 1; h <= _archive.Height; h++)
        {
            var (block, _, _) = ReadArchived(h);
            _ledger.Apply(block);
            reapplied++;
        }

        // 2. The WAL: committed blocks beyond the archive, safety state, voted blocks.
        // Commit records are collected first and applied after the scan: a certificate-only record
        // names a block held in a voted record, which a checkpoint may have written after it.
        var fromWal = 0;
        var records = 0;
        var committed = new WalCommits();
        using (var reader = _storage.Wal.Scan(_storage.Wal.BeginAddress))
        {
            while (reader.TryReadNext(out var record))
            {
                records++;
                switch (record.Kind)
                {
                    case WalRecordKind.Block:
                        {
                            var error = CommittedBlockCodec.TryRead(record.Payload, CodecLimits, out var block, out var certificate);
                            if (error != ConsensusDecodeError.None)
                            {
                                throw new StorageException(StorageError.StateCorrupt, $"WAL record at {record.Address} is not a committed block ({error}).");
                            }

                            _lastBlockWalAddress = record.Address;
                            if (block!.Height > _archive.Height)
                            {
                                committed.AddBlock(record.Address, block, certificate!);
                            }

                            break;
                        }

                    case WalRecordKind.CommittedCertificate:
                        {
                            var error = CommittedBlockCodec.TryReadCertificate(record.Payload, CodecLimits, out var certificate);
                            if (error != ConsensusDecodeError.None)
                            {
                                throw new StorageException(StorageError.StateCorrupt, $"WAL record at {record.Address} is not a commit certificate ({error}).");
                            }

                            _lastBlockWalAddress = record.Address;
                            if (certificate!.Height > _archive.Height)
                            {
                                committed.AddCertificate(record.Address, certificate);
                            }

                            break;
                        }

                    case WalRecordKind.SafetyState:
                        _recoveredSafety = MergeSafety(_recoveredSafety, DecodeSafety(record.Payload));
                        break;
                    case WalRecordKind.VotedBlock:
                        if (ConsensusCodec.TryRead(record.Payload, CodecLimits, out var message) == ConsensusDecodeError.None && message is BlockResponse { Blocks.Count: 1 } voted)
                        {
                            _votedAboveTip[voted.Blocks[0].Id] = voted.Blocks[0];
                        }

                        break;
                }
            }
        }

        foreach (var (block, certificate) in committed.Resolve(_archive.Height, _votedAboveTip))
        {
            ApplyAndArchive(block, certificate);
            fromWal++;
        }

        _recoveredTip = _archive.Height == 0 ? null : ReadArchived(_archive.Height).Block;
        ForgetVotedAtOrBelow(_archive.Height);
        _appliedHeight = _archive.Height;
        _walHeight = _archive.Height;
        PublishStatus();
        _log.LogInformation(
            "Recovered in {Ms} ms: checkpoint {Checkpoint}, committed height {Height} ({Reapplied} re-applied from the archive, {FromWal} from the WAL, {Records} WAL records scanned), state {StateHash}{Repair}.",
            clock.ElapsedMilliseconds,
            _storage.RecoveredCheckpoint is { } c ? $"#{c.Sequence}" : "none",
            _appliedHeight,
            reapplied,
            fromWal,
            records,
            _ledger.StateDigest.Hash.ToShortString(),
            _archive.Repair is { } repair ? $"; archive repaired: {repair}" : "");
    }

    private (Block Block, QuorumCertificate Certificate, byte[] Record) ReadArchived(ulong height)
    {
        if (!_archive!.TryRead(height, out var record))
        {
            throw new StorageException(StorageError.StateCorrupt, $"Block {height} is missing from the archive.");
        }

        var error = CommittedBlockCodec.TryRead(ArchivedBlock.CommittedBlock(record).Span, CodecLimits, out var block, out var certificate);
        if (error != ConsensusDecodeError.None)
        {
            throw new StorageException(StorageError.StateCorrupt, $"Archived block {height} does not decode ({error}).");
        }

        return (block!, certificate!, record);
    }

    /// <summary>Applies a committed block to the ledger and archives it with its outcome. Apply thread (or recovery) only.</summary>
    private BlockOutcome ApplyAndArchive(Block block, QuorumCertificate certificate, byte[]? committedBlock = null, ReadOnlySpan<bool> signatureKnownValid = default)
    {
        var outcome = _ledger!.Apply(block, signatureKnownValid);
        var verdicts = new (byte, string?)[block.Transactions.Count];
        foreach (var t in outcome.Transactions)
        {
            verdicts[t.Index] = ((byte)t.Verdict, t.Reason);
        }

        var writer = _archiveWriter;
        writer.ResetWrittenCount();
        if (committedBlock is null)
        {
            ArchivedBlock.Encode(writer, block, certificate, outcome.StateHash, verdicts);
        }
        else
        {
            ArchivedBlock.Encode(writer, committedBlock, outcome.StateHash, verdicts);
        }

        _archive!.Append(block.Height, writer.WrittenSpan);
        return outcome;
    }

    private static byte[] EncodeSafety(SafetyState safety)
    {
        var writer = new ArrayBufferWriter<byte>(4096);
        SafetyStateCodec.Write(writer, safety);
        return writer.WrittenSpan.ToArray();
    }

    private static SafetyState DecodeSafety(ReadOnlySpan<byte> payload)
    {
        var error = SafetyStateCodec.TryRead(payload, CodecLimits, out var state);
        if (error != ConsensusDecodeError.None)
        {
            throw new StorageException(StorageError.StateCorrupt, $"A safety-state WAL record does not decode ({error}).");
        }

        return state!;
    }

    /// <summary>
    /// Every field of the safety state only grows, so the union of two records is their field-wise
    /// maximum. Using it (not "the last record") keeps a stale copy written at a checkpoint from
    /// ever lowering what the node promised.
    /// </summary>
    private static SafetyState MergeSafety(SafetyState? a, SafetyState b)
    {
        if (a is null)
        {
            return b;
        }

        return new SafetyState(
            Math.Max(a.Epoch, b.Epoch),
            Math.Max(a.LastVotedRound, b.LastVotedRound),
            Math.Max(a.LockedRound, b.LockedRound),
            a.HighQc.Round >= b.HighQc.Round ? a.HighQc : b.HighQc);
    }

    /// <summary>Drops remembered voted blocks that are now committed history (or abandoned below it).</summary>
    private void ForgetVotedAtOrBelow(ulong height)
    {
        foreach (var (id, voted) in _votedAboveTip)
        {
            if (voted.Height <= height)
            {
                _votedAboveTip.TryRemove(id, out _);
            }
        }
    }

    /// <summary>Voted blocks above <paramref name="height"/>, for an engine built on a tip at that height.</summary>
    private IEnumerable<Block> VotedAbove(ulong height) =>
        _votedAboveTip.Values.Where(b => b.Height > height).ToList();

    /// <summary>
    /// Appends what recovery needs to the WAL (safety state, blocks voted for or committed but not yet
    /// applied) and cuts the state at the last applied block, then returns: the caller (the apply thread,
    /// for periodic checkpoints) goes on applying blocks while the store's checkpoint is written. Before
    /// the manifest names the checkpoint, the archive (every block the state reflects) and those WAL
    /// records are made durable, off this thread. The task completes when all of it is durable.
    /// </summary>
    private Task StartCheckpoint(string why)
    {
        if (_storage is null || _archive is null)
        {
            return Task.CompletedTask;
        }

        var clock = Stopwatch.StartNew();

        // The state must not be ahead of the durable WAL. Blocks from the consensus thread are
        // committed before they are applied; blocks fetched by catch-up may not be yet.
        if (_lastBlockWalAddress > _storage.Wal.CommittedUntilAddress)
        {
            _storage.Wal.Commit();
        }

        if (_lastSafety is { } safety)
        {
            _storage.Wal.Append(WalRecordKind.SafetyState, EncodeSafety(safety));
        }

        // Encoded again here (checkpoints are rare) rather than kept as bytes beside each block.
        // The voted set first, then the committed-unapplied one: the consensus thread adds a block
        // to the second before removing it from the first, so a block moving between them during
        // this loop is seen at least once.
        var writer = new ArrayBufferWriter<byte>();
        var written = new HashSet<Hash32>();
        foreach (var voted in _votedAboveTip.Values.Concat(_committedUnapplied.Values))
        {
            if (!written.Add(voted.Id))
            {
                continue;
            }

            writer.ResetWrittenCount();
            ConsensusCodec.Write(writer, new BlockResponse(voted.Epoch, [voted]));
            _storage.Wal.Append(WalRecordKind.VotedBlock, writer.WrittenSpan);
        }

        var height = _appliedHeight;
        var storage = _storage;
        var archive = _archive;
        var durable = storage.StartCheckpoint(
            Math.Max(_lastBlockWalAddress, storage.Wal.BeginAddress),
            beforeManifest: () =>
            {
                archive.Flush();
                storage.Wal.Commit();
            });
        return FinishCheckpointAsync(why, height, durable, clock, clock.ElapsedMilliseconds);
    }

    private async Task FinishCheckpointAsync(string why, ulong height, Task durable, Stopwatch clock, long pausedMs)
    {
        await durable.ConfigureAwait(false);
        _observer.CheckpointWritten(height, clock.Elapsed.TotalSeconds);
        _log.LogInformation("Checkpoint ({Why}) at height {Height} in {Ms} ms (the apply thread waited {PausedMs} ms of it).", why, height, clock.ElapsedMilliseconds, pausedMs);
    }
}
