using System.Diagnostics;
using System.Runtime.ExceptionServices;
using FASTER.core;

namespace CretoAI.Fast.Storage;

/// <summary>
/// Replicated key-value state split over N FASTER stores. Fixed-size binary keys, variable-size binary
/// values, copied in and out of caller spans: no operation allocates. Thread-safe: each call uses the
/// session of the key's shard bound to the calling thread (or one rented from the shard's pool) for its
/// duration. Records that do not fit a shard's memory budget live in the shard's log file and reads of
/// them complete synchronously from disk.
/// </summary>
public sealed class ShardedStore : IDisposable
{
    private readonly StoreShard[] _shards;
    private readonly WriteGate _gate = new();
    private bool _disposed;

    /// <summary>Creates (or reopens the files of) a store under <paramref name="shardsDirectory"/> and <paramref name="checkpointsDirectory"/>.</summary>
    public ShardedStore(string shardsDirectory, string checkpointsDirectory, ShardedStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _shards = new StoreShard[options.ShardCount];

        // Shards are independent FASTER instances: open them side by side (start-up time is mostly
        // allocating each one's index and first log page). The first failure is rethrown as is.
        var failures = new Exception?[_shards.Length];
        Parallel.For(0, _shards.Length, i =>
        {
            try
            {
                var name = i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
                _shards[i] = new StoreShard(Path.Combine(shardsDirectory, name), Path.Combine(checkpointsDirectory, "shard-" + name), options);
            }
            catch (Exception ex)
            {
                failures[i] = ex;
            }
        });
        if (Array.Find(failures, f => f is not null) is { } failure)
        {
            DisposeShards();
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    public ShardedStoreOptions Options { get; }

    public int ShardCount => _shards.Length;

    /// <summary>Shard that holds <paramref name="key"/>.</summary>
    public int ShardOf(ReadOnlySpan<byte> key) => ShardRouter.ShardOf(key, _shards.Length);

    /// <summary>Sets the value of <paramref name="key"/>.</summary>
    public unsafe void Upsert(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        CheckKey(key);
        if (value.Length > Options.MaxValueSize)
        {
            throw new StorageException(StorageError.InvalidArgument, $"Value of {value.Length} bytes exceeds MaxValueSize {Options.MaxValueSize}.");
        }

        var shard = _shards[ShardOf(key)];
        _gate.Enter();
        var lease = shard.Rent();
        var session = lease.Session!;
        try
        {
            fixed (byte* k = key)
            fixed (byte* v = value)
            {
                var keyBytes = SpanByte.FromPointer(k, key.Length);
                var valueBytes = SpanByte.FromPointer(v, value.Length);
                var status = session.Upsert(ref keyBytes, ref valueBytes);
                if (status.IsPending)
                {
                    session.CompletePending(wait: true);
                }
            }
        }
        finally
        {
            shard.Return(lease);
            _gate.Exit();
        }
    }

    /// <summary>
    /// Copies the value of <paramref name="key"/> into <paramref name="destination"/>. <paramref name="valueLength"/>
    /// is the stored length whenever the key exists (so a caller can retry with a large enough buffer).
    /// </summary>
    public unsafe ReadResult Read(ReadOnlySpan<byte> key, Span<byte> destination, out int valueLength)
    {
        CheckKey(key);
        var shard = _shards[ShardOf(key)];
        var lease = shard.Rent();
        var session = lease.Session!;
        try
        {
            ReadOutcome outcome = default;
            fixed (byte* k = key)
            fixed (byte* d = destination)
            {
                var keyBytes = SpanByte.FromPointer(k, key.Length);
                var input = default(ShardInput);
                var output = new ShardOutput { Destination = d, Capacity = destination.Length, Outcome = &outcome };
                var status = session.Read(ref keyBytes, ref input, ref output);
                if (status.IsPending)
                {
                    // The record is on disk; the callback writes through the pointers while they are still pinned.
                    session.CompletePending(wait: true);
                }
            }

            valueLength = outcome.Found ? outcome.Length : 0;
            if (!outcome.Found)
            {
                return ReadResult.NotFound;
            }

            return outcome.Length <= destination.Length ? ReadResult.Found : ReadResult.DestinationTooSmall;
        }
        finally
        {
            shard.Return(lease);
        }
    }

    /// <summary>Removes <paramref name="key"/> (no effect if absent).</summary>
    public unsafe void Delete(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        var shard = _shards[ShardOf(key)];
        _gate.Enter();
        var lease = shard.Rent();
        var session = lease.Session!;
        try
        {
            fixed (byte* k = key)
            {
                var keyBytes = SpanByte.FromPointer(k, key.Length);
                var status = session.Delete(ref keyBytes);
                if (status.IsPending)
                {
                    session.CompletePending(wait: true);
                }
            }
        }
        finally
        {
            shard.Return(lease);
            _gate.Exit();
        }
    }

    /// <summary>
    /// Atomically replaces the value of <paramref name="key"/> with <paramref name="updater"/>'s result
    /// (or creates it from <paramref name="argument"/> alone when absent), even when the old value is on disk.
    /// </summary>
    public unsafe void ReadModifyWrite(ReadOnlySpan<byte> key, IValueUpdater updater, ReadOnlySpan<byte> argument)
    {
        ArgumentNullException.ThrowIfNull(updater);
        CheckKey(key);
        var shard = _shards[ShardOf(key)];
        _gate.Enter();
        var lease = shard.Rent();
        var session = lease.Session!;
        try
        {
            fixed (byte* k = key)
            fixed (byte* a = argument)
            {
                var keyBytes = SpanByte.FromPointer(k, key.Length);
                var input = new ShardInput { Updater = updater, Argument = SpanByte.FromPointer(a, argument.Length) };
                var output = default(ShardOutput);
                var status = session.RMW(ref keyBytes, ref input, ref output);
                if (status.IsPending)
                {
                    session.CompletePending(wait: true);
                }
            }
        }
        finally
        {
            shard.Return(lease);
            _gate.Exit();
        }
    }

    /// <summary>
    /// Takes a fold-over checkpoint of every shard, all of the same set of writes, and returns one token per
    /// shard once every checkpoint is durable. Reads and writes continue while it is written (see
    /// <see cref="StartCheckpointAll"/>).
    /// </summary>
    internal async Task<Guid[]> CheckpointAllAsync()
    {
        var (tokens, durable) = StartCheckpointAll();
        await durable.ConfigureAwait(false);
        return tokens;
    }

    /// <summary>
    /// Cuts every shard at the same set of writes: holds writers back only while each shard switches to
    /// its next version (no I/O), then lets them go on. Writes after this returns are in no shard's
    /// checkpoint; writes that finished before it are in all of them. <c>Durable</c> completes when every
    /// shard's checkpoint is on disk. One checkpoint at a time: the caller waits for <c>Durable</c> before
    /// starting another.
    /// </summary>
    internal (Guid[] Tokens, Task Durable) StartCheckpointAll()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var tokens = new Guid[_shards.Length];
        var durable = new List<Task>(_shards.Length);
        _gate.Close();
        try
        {
            for (var i = 0; i < _shards.Length; i++)
            {
                (tokens[i], var shardDurable) = _shards[i].StartCheckpoint();
                durable.Add(shardDurable);
            }
        }
        catch
        {
            // Shards already started finish their checkpoint before the failure is reported, so the next
            // attempt does not find FASTER busy.
            Task.WhenAll(durable).ContinueWith(static _ => { }, TaskScheduler.Default).Wait();
            throw;
        }
        finally
        {
            _gate.Open();
        }

        return (tokens, Task.WhenAll(durable));
    }

    /// <summary>Restores every shard from its token; the store must be freshly created and untouched.</summary>
    internal void RecoverAll(IReadOnlyList<Guid> tokens)
    {
        Debug.Assert(tokens.Count == _shards.Length, "one token per shard");
        for (var i = 0; i < _shards.Length; i++)
        {
            _shards[i].Recover(tokens[i]);
        }
    }

    /// <summary>Deletes FASTER checkpoint data not named in <paramref name="keep"/>.</summary>
    internal void PurgeCheckpointsExcept(IReadOnlySet<Guid> keep)
    {
        foreach (var shard in _shards)
        {
            foreach (var token in shard.CheckpointTokens().ToList())
            {
                if (!keep.Contains(token))
                {
                    shard.Purge(token);
                }
            }
        }
    }

    /// <summary>The FASTER store behind shard <paramref name="shard"/> (benchmarks and diagnostics).</summary>
    internal FasterKV<SpanByte, SpanByte> ShardStore(int shard) => _shards[shard].Kv;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DisposeShards();
    }

    private void DisposeShards()
    {
        foreach (var shard in _shards)
        {
            shard?.Dispose();
        }
    }

    private void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != Options.KeySize)
        {
            ThrowKeySize(key.Length);
        }
    }

    private void ThrowKeySize(int length) =>
        throw new StorageException(StorageError.InvalidArgument, $"Key of {length} bytes; this store uses {Options.KeySize}-byte keys.");
}
