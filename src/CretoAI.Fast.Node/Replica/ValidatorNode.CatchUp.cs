using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using CretoAI.Fast.Consensus.Certificates;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Messages.Codec;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Wire;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// Catch-up: a node that starts, or sees certificates far above its committed height, pauses its
/// engine and fetches committed blocks from peers in bounded batches (count and bytes), checks
/// them, makes them durable, applies them, and then rebuilds its engine on the new tip.
/// </summary>
/// <remarks>
/// A batch is accepted only as far as it proves itself: every block must extend the previous one
/// (height, parent id, chain id), every certificate must be a valid quorum certificate for its
/// block, and a block counts as committed only when a later block of the batch certifies it from
/// the very next round (the two-chain commit rule), which makes it and all its ancestors final.
/// So a faulty peer can waste a request but cannot make this node adopt a certified-but-abandoned
/// fork. The last block or two of a peer's chain (not yet provable) arrive through consensus.
/// </remarks>
public sealed partial class ValidatorNode
{
    private const long LagThreshold = 32;
    private const int SyncTimeoutMs = 10_000;

    private readonly PendingSyncRequests _syncPending = new();
    private volatile bool _catchingUp = true;

    /// <summary>Called by a validator link (thread pool) when our link to validator <paramref name="index"/> goes down.</summary>
    private void OnLinkDown(int index) => _syncPending.FailPeer(index);

    private void OnLinkFrame(int from, MessageType type, uint correlation, byte[] payload)
    {
        if (type == MessageType.SyncResponse)
        {
            _syncPending.Complete(from, correlation, payload);
        }
    }

    private async Task CatchUpLoopAsync(CancellationToken stopping)
    {
        try
        {
            // First start: give the links a moment so a restarted node learns what it missed before voting.
            var deadline = Stopwatch.StartNew();
            while (_links!.Connected == 0 && deadline.ElapsedMilliseconds < 2000)
            {
                await Task.Delay(50, stopping).ConfigureAwait(false);
            }

            await SyncAsync(first: true, stopping).ConfigureAwait(false);
            while (!stopping.IsCancellationRequested)
            {
                await Task.Delay(500, stopping).ConfigureAwait(false);
                if (Interlocked.Read(ref _maxSeenQcHeight) > (long)_appliedHeight + LagThreshold)
                {
                    await SyncAsync(first: false, stopping).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (Exception ex) when (ex is StorageException or IOException or InvalidOperationException)
        {
            Fail("catch-up", ex);
        }
    }

    private async Task SyncAsync(bool first, CancellationToken stopping)
    {
        var peers = _links!.ConnectedIndexes.ToList();
        if (peers.Count == 0)
        {
            _catchingUp = false;
            return;
        }

        _catchingUp = true;
        _paused = true;
        while (_applyQueue.Count > 0 || _appliedHeight < _walHeight)
        {
            await Task.Delay(5, stopping).ConfigureAwait(false);
        }

        var start = _appliedHeight;
        var clock = Stopwatch.StartNew();
        Block? tip = _appliedHeight == 0 ? null : ReadArchived(_appliedHeight).Block;
        var failures = 0;
        var next = 0;
        while (!stopping.IsCancellationRequested && failures < peers.Count)
        {
            var peer = peers[next++ % peers.Count];
            var batch = await RequestBlocksAsync(peer, _appliedHeight + 1, stopping).ConfigureAwait(false);
            if (batch is null)
            {
                failures++;
                continue;
            }

            var batchClock = Stopwatch.StartNew();
            var accepted = Provable(batch, tip);
            if (accepted == 0)
            {
                failures++;
                continue;
            }

            failures = 0;
            var wal = _storage!.Wal;
            for (var i = 0; i < accepted; i++)
            {
                var (block, certificate, payload) = batch[i];
                var address = wal.Append(WalRecordKind.Block, payload);
                _applyQueue.Add(new ApplyItem(block, certificate, payload, address, Stopwatch.GetTimestamp()), stopping);
            }

            wal.Commit();
            tip = batch[accepted - 1].Block;
            _walHeight = tip.Height;
            while (_appliedHeight < tip.Height && _fatal is null)
            {
                await Task.Delay(2, stopping).ConfigureAwait(false);
            }

            _observer.CatchUpBatch(accepted, batchClock.Elapsed.TotalSeconds);
        }

        if (_appliedHeight > start)
        {
            _log.LogInformation("Caught up from height {From} to {To} ({Blocks} blocks in {Ms} ms); rejoining consensus.", start, _appliedHeight, _appliedHeight - start, clock.ElapsedMilliseconds);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _driverInputs.Enqueue(new DriverInput(DriverInputKind.Rebuild, -1, null, tip, done));
            _driverSignal.Set();
            await done.Task.WaitAsync(stopping).ConfigureAwait(false);
        }
        else
        {
            if (!first)
            {
                _log.LogDebug("Catch-up found nothing provable beyond height {Height}.", _appliedHeight);
            }

            _paused = false;
            _driverSignal.Set(); // step what arrived while paused now, not at the next input
        }

        _catchingUp = false;
    }

    private async Task<List<(Block Block, QuorumCertificate Certificate, byte[] Payload)>?> RequestBlocksAsync(int peer, ulong from, CancellationToken stopping)
    {
        var (correlation, answer) = _syncPending.Start(peer);
        var request = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(request, from);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(8), (uint)_settings.SyncBatchBlocks);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(12), (uint)_settings.SyncBatchMaxBytes);
        try
        {
            if (!_links!.Send(peer, MessageType.SyncRequest, correlation, request))
            {
                return null;
            }

            var payload = await answer.WaitAsync(TimeSpan.FromMilliseconds(SyncTimeoutMs), stopping).ConfigureAwait(false);
            return DecodeBatch(payload, peer);
        }
        catch (TimeoutException)
        {
            _log.LogWarning("Catch-up: validator {Peer} did not answer a sync request within {Seconds} s.", peer, SyncTimeoutMs / 1000);
            return null;
        }
        catch (IOException ex)
        {
            _log.LogInformation("Catch-up: {Reason}; asking another validator.", ex.Message);
            return null;
        }
        finally
        {
            _syncPending.Forget(correlation);
        }
    }

    private List<(Block, QuorumCertificate, byte[])>? DecodeBatch(byte[] payload, int peer)
    {
        var error = CommittedBlockCodec.TryReadBatch(payload, CodecLimits, out var blocks);
        if (error != ConsensusDecodeError.None)
        {
            _log.LogWarning("Catch-up: validator {Peer}'s sync batch does not decode ({Error}); ignored.", peer, error);
            return null;
        }

        var result = new List<(Block, QuorumCertificate, byte[])>(blocks!.Count);
        var writer = new ArrayBufferWriter<byte>(64 * 1024);
        foreach (var entry in blocks)
        {
            writer.ResetWrittenCount();
            CommittedBlockCodec.Write(writer, entry.Block, entry.Certificate);
            result.Add((entry.Block, entry.Certificate, writer.WrittenSpan.ToArray()));
        }

        return result;
    }

    /// <summary>How many leading blocks of <paramref name="batch"/> are proven committed (see the type's remarks).</summary>
    private int Provable(List<(Block Block, QuorumCertificate Certificate, byte[] Payload)> batch, Block? tip)
    {
        var parentId = tip?.Id ?? _genesisId;
        var parentHeight = tip?.Height ?? 0;
        var linked = 0;
        var verifier = new CertificateVerifier(_chainId, _validators, _config.ThreatLevels, _signatures.Recording, _genesisId);
        foreach (var (block, certificate, _) in batch)
        {
            if (block.ChainId != _chainId || block.Height != parentHeight + 1 || block.ParentId != parentId || certificate.BlockId != block.Id || !verifier.VerifyQc(certificate))
            {
                break;
            }

            parentId = block.Id;
            parentHeight = block.Height;
            linked++;
        }

        for (var j = linked - 2; j >= 0; j--)
        {
            if (batch[j + 1].Block.Round == batch[j].Block.Round + 1)
            {
                return j + 1;
            }
        }

        return 0;
    }

    /// <summary>Serves a peer's sync request from the archive: bounded in blocks and bytes.</summary>
    internal byte[] ServeSync(ReadOnlySpan<byte> request)
    {
        if (request.Length != 16)
        {
            throw new InvalidDataException($"a sync request is 16 bytes, got {request.Length}");
        }

        var from = BinaryPrimitives.ReadUInt64LittleEndian(request);
        var maxBlocks = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(request[8..]), (uint)_settings.SyncBatchBlocks);
        var maxBytes = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(request[12..]), (uint)Math.Min(_settings.SyncBatchMaxBytes, _settings.MaxFramePayloadBytes - 1024));
        var writer = new ArrayBufferWriter<byte>(64 * 1024);
        BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(4), 0);
        writer.Advance(4);
        var count = 0;
        for (var h = Math.Max(1, from); h <= _appliedHeight && count < maxBlocks; h++)
        {
            if (!_archive!.TryRead(h, out var record))
            {
                break;
            }

            var block = ArchivedBlock.CommittedBlock(record);
            if (count > 0 && writer.WrittenCount + block.Length > maxBytes)
            {
                break;
            }

            writer.Write(block.Span);
            count++;
        }

        var result = writer.WrittenSpan.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(result, count);
        return result;
    }
}
