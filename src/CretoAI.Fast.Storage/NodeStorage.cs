using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CretoAI.Fast.Storage;

/// <summary>
/// A node's durable state in one locked data directory: the <see cref="ShardedStore"/> (replicated state),
/// the <see cref="WriteAheadLog"/> (blocks, certificates, safety state) and consistent checkpoints pairing
/// the two. Opening restores the newest complete checkpoint; the caller then replays the WAL from
/// <see cref="ReplayFromAddress"/> through its own apply logic (<see cref="Replay"/>) before serving.
/// </summary>
public sealed partial class NodeStorage : IDisposable
{
    private readonly NodeStorageOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _checkpointing = new(1, 1);
    private readonly List<CheckpointManifest> _kept;
    private ulong _nextSequence;
    private bool _disposed;

    private NodeStorage(NodeStorageOptions options, ILogger logger, DataDirectory directory, ShardedStore store, WriteAheadLog wal, List<CheckpointManifest> kept)
    {
        _options = options;
        _logger = logger;
        Directory = directory;
        State = store;
        Wal = wal;
        _kept = kept;
        RecoveredCheckpoint = kept.Count > 0 ? kept[0] : null;
        _nextSequence = RecoveredCheckpoint is null ? 1 : RecoveredCheckpoint.Sequence + 1;
        ReplayFromAddress = Math.Max(RecoveredCheckpoint?.WalAddress ?? 0, wal.BeginAddress);
    }

    public DataDirectory Directory { get; }

    public ShardedStore State { get; }

    public WriteAheadLog Wal { get; }

    /// <summary>The checkpoint the state was restored from, or null when starting empty.</summary>
    public CheckpointManifest? RecoveredCheckpoint { get; }

    /// <summary>WAL address where replay must start to bring <see cref="State"/> up to date.</summary>
    public long ReplayFromAddress { get; }

    /// <summary>Opens the directory (lock, format check), restores the newest complete checkpoint and verifies the WAL.</summary>
    public static NodeStorage Open(NodeStorageOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        logger ??= NullLogger.Instance;
        var directory = DataDirectory.Open(options.DataDirectory, options.CreateIfMissing);
        ShardedStore? store = null;
        WriteAheadLog? wal = null;
        try
        {
            options = options.ForFormat(directory.Format);
            options.Validate();

            // The WAL and the shards are separate files, and opening each is mostly allocating and
            // zeroing FASTER's first log pages: open them side by side. Nothing is read or replayed
            // here; which checkpoint to restore is decided below, once the WAL's range is known.
            (wal, var fresh) = OpenSideBySide(directory, options, logger);
            (store, var kept) = RestoreState(directory, options, wal, logger, fresh);
            return new NodeStorage(options, logger, directory, store, wal, kept);
        }
        catch
        {
            store?.Dispose();
            wal?.Dispose();
            directory.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the WAL on a pool thread while this thread creates an empty sharded store (its shards
    /// themselves open in parallel). On failure both are disposed and the WAL's exception, else the
    /// store's, is rethrown.
    /// </summary>
    private static (WriteAheadLog Wal, ShardedStore Store) OpenSideBySide(DataDirectory directory, NodeStorageOptions options, ILogger logger)
    {
        var opening = Task.Run(() => WriteAheadLog.Open(directory.WalPath, options.Wal, logger));
        ShardedStore? store = null;
        Exception? storeFailure = null;
        try
        {
            store = new ShardedStore(directory.ShardsPath, directory.CheckpointPath, options.Store);
        }
#pragma warning disable CA1031 // Rethrown below, after the WAL open has finished and been cleaned up.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            storeFailure = ex;
        }

        WriteAheadLog wal;
        try
        {
            wal = opening.GetAwaiter().GetResult();
        }
        catch
        {
            store?.Dispose();
            throw;
        }

        if (storeFailure is not null)
        {
            wal.Dispose();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(storeFailure);
        }

        return (wal, store!);
    }

    /// <summary>
    /// Feeds every verified WAL record from <see cref="ReplayFromAddress"/> to <paramref name="apply"/>, in order.
    /// Returns the number of records replayed; a corrupt record ends the replay (see <see cref="WriteAheadLog.Recovery"/>).
    /// </summary>
    public long Replay(WalRecordHandler apply)
    {
        ArgumentNullException.ThrowIfNull(apply);
        using var reader = Wal.Scan(ReplayFromAddress);
        long count = 0;
        while (reader.TryReadNext(out var record))
        {
            apply(record);
            count++;
        }

        return count;
    }

    /// <summary>
    /// Takes a consistent checkpoint of every shard paired with <paramref name="walAddress"/> and completes
    /// once it and its manifest are durable. The caller promises the state reflects exactly the WAL records
    /// below that address (typically the <see cref="WalRecord.NextAddress"/> of the last applied record,
    /// and those records are committed). Old checkpoints beyond <see cref="NodeStorageOptions.CheckpointsToKeep"/>
    /// and the WAL below the oldest kept one are removed.
    /// </summary>
    public async Task<CheckpointManifest> CheckpointAsync(long walAddress) =>
        await StartCheckpoint(walAddress).ConfigureAwait(false);

    /// <summary>
    /// Cuts the state for a checkpoint paired with <paramref name="walAddress"/> (same promise as
    /// <see cref="CheckpointAsync"/>) and returns as soon as writes may go on: writers are held back only
    /// while each shard switches to its next version, with no I/O. The returned task completes when the
    /// checkpoint and its manifest are durable; writes made after this method returns are not in it, so the
    /// caller may keep applying blocks meanwhile. One checkpoint at a time: this blocks while another is
    /// being written (see <see cref="IsCheckpointing"/>).
    /// </summary>
    /// <param name="walAddress">The WAL address the state corresponds to (see <see cref="CheckpointAsync"/>).</param>
    /// <param name="beforeManifest">
    /// Work that must be durable before the manifest names this checkpoint (for example, flushing a file
    /// of blocks the state already reflects); runs on a pool thread once the shards are written.
    /// </param>
    public Task<CheckpointManifest> StartCheckpoint(long walAddress, Action? beforeManifest = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (walAddress > Wal.CommittedUntilAddress)
        {
            throw new StorageException(StorageError.InvalidArgument, $"Checkpoint at WAL address {walAddress} is beyond the committed WAL ({Wal.CommittedUntilAddress}); commit first.");
        }

        if (walAddress < Wal.BeginAddress)
        {
            if (Wal.BeginAddress > FirstLogAddress)
            {
                throw new StorageException(StorageError.InvalidArgument, $"Checkpoint at WAL address {walAddress} is below the WAL's begin address {Wal.BeginAddress}: those records were truncated, so the state cannot be older.");
            }

            // An empty or never-committed log: the state reflects no WAL records at all.
            walAddress = Wal.BeginAddress;
        }

        _checkpointing.Wait();
        (Guid[] Tokens, Task Durable) cut;
        try
        {
            cut = State.StartCheckpointAll();
        }
        catch
        {
            _checkpointing.Release();
            throw;
        }

        return FinishCheckpointAsync(walAddress, cut.Tokens, cut.Durable, beforeManifest);
    }

    /// <summary>True while a checkpoint is being written (between <see cref="StartCheckpoint"/> and its task's end).</summary>
    public bool IsCheckpointing => _checkpointing.CurrentCount == 0;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // A checkpoint still being written finishes first: FASTER must not lose its files mid-flush.
        _checkpointing.Wait();
        State.Dispose();
        Wal.Dispose();
        Directory.Dispose();
        _checkpointing.Dispose();
    }

    private async Task<CheckpointManifest> FinishCheckpointAsync(long walAddress, Guid[] tokens, Task durable, Action? beforeManifest)
    {
        try
        {
            await durable.ConfigureAwait(false);
            beforeManifest?.Invoke();
            var manifest = new CheckpointManifest(_nextSequence++, walAddress, tokens);
            manifest.WriteTo(Directory.CheckpointPath);
            _kept.Insert(0, manifest);
            Prune();
            return manifest;
        }
        finally
        {
            _checkpointing.Release();
        }
    }

    private void Prune()
    {
        while (_kept.Count > _options.CheckpointsToKeep)
        {
            var old = _kept[^1];
            _kept.RemoveAt(_kept.Count - 1);
            TryDelete(Path.Combine(Directory.CheckpointPath, CheckpointManifest.FileName(old.Sequence)));
        }

        var keep = new HashSet<Guid>();
        foreach (var manifest in _kept)
        {
            keep.UnionWith(manifest.ShardTokens);
        }

        State.PurgeCheckpointsExcept(keep);
        var oldest = _kept[^1].WalAddress;
        if (oldest > Wal.BeginAddress)
        {
            Wal.TruncateBefore(oldest);
        }
    }

    /// <summary>
    /// Restores the newest usable checkpoint into <paramref name="fresh"/> (a store nothing has touched),
    /// or into a new store when a failed attempt left it unusable; returns <paramref name="fresh"/> as is
    /// when there is nothing to restore. Every store not returned is disposed.
    /// </summary>
    private static (ShardedStore Store, List<CheckpointManifest> Kept) RestoreState(DataDirectory directory, NodeStorageOptions options, WriteAheadLog wal, ILogger logger, ShardedStore? fresh)
    {
        try
        {
            return RestoreInto(directory, options, wal, logger, ref fresh);
        }
        catch
        {
            fresh?.Dispose();
            throw;
        }
    }

    private static (ShardedStore Store, List<CheckpointManifest> Kept) RestoreInto(DataDirectory directory, NodeStorageOptions options, WriteAheadLog wal, ILogger logger, ref ShardedStore? fresh)
    {
        var checkpointPath = directory.CheckpointPath;
        foreach (var tmp in System.IO.Directory.Exists(checkpointPath) ? System.IO.Directory.GetFiles(checkpointPath, "*.tmp") : [])
        {
            TryDelete(tmp);
        }

        var files = CheckpointManifest.List(checkpointPath);
        var usable = new List<CheckpointManifest>();
        foreach (var file in files)
        {
            var manifest = CheckpointManifest.TryParse(File.ReadAllBytes(file), out var reason);
            if (manifest is null)
            {
                LogSkipped(logger, file, reason ?? "unreadable");
                continue;
            }

            if (manifest.ShardTokens.Count != options.Store.ShardCount)
            {
                throw new StorageException(
                    StorageError.UnsupportedFormat,
                    $"Data directory '{directory.Path}' was written with {manifest.ShardTokens.Count} shards but ShardCount is {options.Store.ShardCount}; the shard count of a directory cannot change.");
            }

            usable.Add(manifest);
        }

        for (var i = 0; i < usable.Count; i++)
        {
            var manifest = usable[i];
            if (manifest.WalAddress < wal.BeginAddress)
            {
                LogSkipped(logger, CheckpointManifest.FileName(manifest.Sequence), "its WAL position was truncated away");
                continue;
            }

            // A failed recovery may have left the store half-restored: the next attempt gets a new one.
            var store = fresh ?? new ShardedStore(directory.ShardsPath, checkpointPath, options.Store);
            fresh = null;
            try
            {
                store.RecoverAll(manifest.ShardTokens);
                return (store, usable.GetRange(i, usable.Count - i));
            }
#pragma warning disable CA1031 // Any failure means this checkpoint is not trustworthy; an older one may be.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                store.Dispose();
                LogSkipped(logger, CheckpointManifest.FileName(manifest.Sequence), ex.Message);
            }
        }

        // Starting empty is only correct if the WAL still holds every record ever written.
        if (files.Count > 0 && wal.BeginAddress > FirstLogAddress)
        {
            throw new StorageException(
                StorageError.CheckpointUnusable,
                $"No checkpoint in '{checkpointPath}' could be restored and the WAL was already truncated to {wal.BeginAddress}; restore the directory from a backup or resynchronise from peers.");
        }

        var empty = fresh ?? new ShardedStore(directory.ShardsPath, checkpointPath, options.Store);
        fresh = null;
        return (empty, []);
    }

    /// <summary>FasterLog's first record address.</summary>
    private const long FirstLogAddress = 64;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for the next prune; a stray file is ignored by recovery.
        }
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "Checkpoint {Checkpoint} not used: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string checkpoint, string reason);
}
