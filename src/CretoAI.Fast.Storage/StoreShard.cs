using System.Collections.Concurrent;
using FASTER.core;
using Session = FASTER.core.ClientSession<FASTER.core.SpanByte, FASTER.core.SpanByte, CretoAI.Fast.Storage.ShardInput, CretoAI.Fast.Storage.ShardOutput, FASTER.core.Empty, CretoAI.Fast.Storage.ShardFunctions>;

namespace CretoAI.Fast.Storage;

/// <summary>
/// One FASTER key-value store (one hybrid log file, one hash index, one checkpoint folder) and its sessions.
/// A FASTER session is single-threaded. Each calling thread gets a session bound to it on first use and keeps
/// it (no shared queue, no session moving between cores on every operation: with a shared pool the queue's
/// head and the sessions' state bounced between cores and multi-core reads ran at a fraction of one core's
/// rate). Past <see cref="_maxBound"/> bound sessions, and for re-entrant calls, threads rent from a shared
/// pool per operation instead, so sessions are never shared while in use.
/// </summary>
internal sealed class StoreShard : IDisposable
{
    private readonly FasterKV<SpanByte, SpanByte> _kv;
    private readonly IDevice _device;
    private readonly DeviceLogCommitCheckpointManager _checkpoints;
    private readonly ConcurrentQueue<ShardSession> _sessions = new();
    private readonly ThreadLocal<ShardSession?> _bound = new(trackAllValues: true);
    private readonly Lock _bindLock = new();
    private readonly int _maxBound = Math.Max(16, 4 * Environment.ProcessorCount);
    private int _boundCount;
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

    /// <summary>
    /// A session for the calling thread to use for one operation; hand it back with <see cref="Return"/>.
    /// The fast path is one thread-local lookup and a flag.
    /// </summary>
    public ShardSession Rent()
    {
        var bound = _bound.Value ?? Bind();
        if (!bound.Busy && bound.Session is not null)
        {
            bound.Busy = true;
            return bound;
        }

        return _sessions.TryDequeue(out var pooled) ? pooled : new ShardSession(NewSession(), owner: null);
    }

    public void Return(ShardSession session)
    {
        if (session.IsThreadBound)
        {
            session.Busy = false;
        }
        else
        {
            _sessions.Enqueue(session);
        }
    }

    /// <summary>
    /// First operation of this thread on this shard: bind a session to it, unless the cap is reached even after
    /// taking back the sessions of threads that have exited (then the thread uses the pool from now on).
    /// </summary>
    private ShardSession Bind()
    {
        var thread = Thread.CurrentThread;
        ShardSession bound;
        lock (_bindLock)
        {
            if (_boundCount >= _maxBound)
            {
                ReclaimFromExitedThreads();
            }

            if (_boundCount < _maxBound)
            {
                _boundCount++;
                bound = new ShardSession(NewSession(), thread);
            }
            else
            {
                bound = new ShardSession(session: null, thread);
            }
        }

        _bound.Value = bound;
        return bound;
    }

    /// <summary>An exited thread can no longer use its session: move it to the pool. Called under the bind lock.</summary>
    private void ReclaimFromExitedThreads()
    {
        foreach (var bound in _bound.Values)
        {
            if (bound is { Session: not null, Owner.IsAlive: false, Busy: false })
            {
                _sessions.Enqueue(new ShardSession(bound.Session, owner: null));
                bound.Session = null;
                _boundCount--;
            }
        }
    }

    private Session NewSession() =>
        _kv.For(ShardFunctions.Instance).NewSession<ShardFunctions>(sessionVariableLengthStructSettings: _valueLength);

    /// <summary>
    /// Starts a fold-over full checkpoint (index + log flushed to this shard's files) and returns once the
    /// store has switched to its next version: writes made after this returns are not in the checkpoint,
    /// writes finished before it are. <c>Durable</c> completes when the checkpoint is on disk. The caller
    /// must keep writers out until this returns (see <see cref="ShardedStore.StartCheckpointAll"/>).
    /// </summary>
    public (Guid Token, Task Durable) StartCheckpoint()
    {
        var version = _kv.CurrentVersion;
        if (!_kv.TryInitiateFullCheckpoint(out var token, CheckpointType.FoldOver))
        {
            throw new InvalidOperationException("FASTER refused to start a checkpoint while another one was running.");
        }

        // CompleteCheckpointAsync drives the state machine on this thread until its first wait for I/O
        // (the index snapshot), which FASTER reaches only after the version switch (PREPARE → IN_PROGRESS).
        // The loop below is a guard in case a later FASTER orders that differently.
        var durable = _kv.CompleteCheckpointAsync().AsTask();
        var spinner = default(SpinWait);
        while (_kv.CurrentVersion == version && !durable.IsCompleted)
        {
            spinner.SpinOnce();
        }

        return (token, durable);
    }

    public void Recover(Guid token) => _kv.Recover(token, token);

    public void Purge(Guid token) => _checkpoints.Purge(token);

    public IEnumerable<Guid> CheckpointTokens() => _checkpoints.GetLogCheckpointTokens().Concat(_checkpoints.GetIndexCheckpointTokens()).Distinct();

    public void Dispose()
    {
        while (_sessions.TryDequeue(out var pooled))
        {
            pooled.Session?.Dispose();
        }

        foreach (var bound in _bound.Values)
        {
            bound?.Session?.Dispose();
        }

        _bound.Dispose();

        _kv.Dispose();
        _checkpoints.Dispose();
        _device.Dispose();
    }
}
