using System.Collections.Concurrent;
using FASTER.core;
using Session = FASTER.core.ClientSession<FASTER.core.SpanByte, FASTER.core.SpanByte, CretoAI.Fast.Storage.ShardInput, CretoAI.Fast.Storage.ShardOutput, FASTER.core.Empty, CretoAI.Fast.Storage.ShardFunctions>;

namespace CretoAI.Fast.Storage;

/// <summary>
/// One FASTER key-value store (one hybrid log file, one hash index, one checkpoint folder) and its pool of
/// sessions. A FASTER session is single-threaded: a thread rents one for one operation and returns it, so
/// sessions are never shared while in use and the pool grows only to the peak number of concurrent callers.
/// </summary>
internal sealed class StoreShard : IDisposable
{
    private readonly FasterKV<SpanByte, SpanByte> _kv;
    private readonly IDevice _device;
    private readonly DeviceLogCommitCheckpointManager _checkpoints;
    private readonly ConcurrentQueue<Session> _sessions = new();
    private readonly SessionVariableLengthStructSettings<SpanByte, ShardInput> _valueLength = new() { valueLength = ShardValueLength.Instance };

    public StoreShard(string logDirectory, string checkpointDirectory, ShardedStoreOptions options)
    {
        Directory.CreateDirectory(logDirectory);
        Directory.CreateDirectory(checkpointDirectory);
        _device = Devices.CreateLogDevice(Path.Combine(logDirectory, "hlog.log"), preallocateFile: false, deleteOnClose: false, recoverDevice: true);
        _checkpoints = new DeviceLogCommitCheckpointManager(
            new LocalStorageNamedDeviceFactory(),
            new DefaultCheckpointNamingScheme(checkpointDirectory),
            removeOutdated: false);
        _kv = new FasterKV<SpanByte, SpanByte>(
            options.HashBucketsPerShard,
            new LogSettings
            {
                LogDevice = _device,
                MemorySizeBits = options.MemorySizeBits,
                PageSizeBits = options.PageSizeBits,
                SegmentSizeBits = Math.Max(30, options.PageSizeBits),
                MutableFraction = 0.9,
            },
            new CheckpointSettings { CheckpointManager = _checkpoints, RemoveOutdated = false });
    }

    /// <summary>The underlying store (benchmarks and diagnostics).</summary>
    public FasterKV<SpanByte, SpanByte> Kv => _kv;

    public Session Rent() =>
        _sessions.TryDequeue(out var session)
            ? session
            : _kv.For(ShardFunctions.Instance).NewSession<ShardFunctions>(sessionVariableLengthStructSettings: _valueLength);

    public void Return(Session session) => _sessions.Enqueue(session);

    /// <summary>Fold-over full checkpoint (index + log flushed to this shard's files); returns its token.</summary>
    public async Task<Guid> CheckpointAsync()
    {
        var (success, token) = await _kv.TakeFullCheckpointAsync(CheckpointType.FoldOver).ConfigureAwait(false);
        if (!success)
        {
            throw new InvalidOperationException("FASTER refused to start a checkpoint while another one was running.");
        }

        return token;
    }

    public void Recover(Guid token) => _kv.Recover(token, token);

    public void Purge(Guid token) => _checkpoints.Purge(token);

    public IEnumerable<Guid> CheckpointTokens() => _checkpoints.GetLogCheckpointTokens().Concat(_checkpoints.GetIndexCheckpointTokens()).Distinct();

    public void Dispose()
    {
        while (_sessions.TryDequeue(out var session))
        {
            session.Dispose();
        }

        _kv.Dispose();
        _checkpoints.Dispose();
        _device.Dispose();
    }
}
