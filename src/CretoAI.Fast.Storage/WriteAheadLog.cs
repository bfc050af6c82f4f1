using System.Buffers;
using FASTER.core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CretoAI.Fast.Storage;

/// <summary>
/// Append-only log of blocks, certificates and safety state on FasterLog. <see cref="Append"/> puts a
/// checksummed record in the in-memory tail; <see cref="Commit"/> makes everything appended before it durable
/// (per <see cref="WalDurability"/>). Opening verifies every committed record: a corrupt record stops the
/// valid range there (logged, reported in <see cref="Recovery"/>) and the log becomes read-only, so nothing
/// appended later can hide behind the damage. A failed device write (disk full) fails the commit, marks the
/// log failed, and leaves what was committed before untouched.
/// </summary>
public sealed partial class WriteAheadLog : IDisposable
{
    private readonly FasterLog _log;
    private readonly IDevice _device;
    private readonly WalCommitFile? _commitFile;
    private readonly WalOptions _options;
    private readonly ILogger _logger;
    private readonly string _directory;
    private readonly Thread? _groupCommitter;
    private readonly SemaphoreSlim _commitRequested = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly long _validUntil;
    private readonly Lock _appendGate = new();
    private volatile StorageException? _failure;
    private bool _disposed;

    private WriteAheadLog(string directory, WalOptions options, IDevice device, WalCommitFile? commitFile, FasterLog log, ILogger logger)
    {
        _directory = directory;
        _options = options;
        _device = device;
        _commitFile = commitFile;
        _log = log;
        _logger = logger;
        Recovery = Verify();
        _validUntil = Recovery.ValidUntilAddress;
        if (!Recovery.IsClean)
        {
            _failure = new StorageException(
                StorageError.WalCorrupt,
                $"WAL in '{directory}' has a corrupt record at address {Recovery.CorruptAddress}: {Recovery.CorruptionReason}. Records before it are readable; appends are refused. Restore the directory from a backup or resynchronise from peers.");
        }

        if (options.Durability == WalDurability.GroupCommit)
        {
            _groupCommitter = new Thread(GroupCommitLoop) { IsBackground = true, Name = "wal-group-commit" };
            _groupCommitter.Start();
        }
    }

    /// <summary>What opening found.</summary>
    public WalRecoveryReport Recovery { get; }

    /// <summary>The log device (tests check how it is flushed).</summary>
    internal IDevice Device => _device;

    /// <summary>Oldest address still in the log (after truncation).</summary>
    public long BeginAddress => _log.BeginAddress;

    /// <summary>Address the next append gets.</summary>
    public long TailAddress => _log.TailAddress;

    /// <summary>Everything below this address is durable and verified.</summary>
    public long CommittedUntilAddress => Math.Min(_log.CommittedUntilAddress, Recovery.IsClean ? long.MaxValue : _validUntil);

    /// <summary>Opens (creating if needed) the log in <paramref name="directory"/> and verifies it.</summary>
    public static WriteAheadLog Open(string directory, WalOptions? options = null, ILogger? logger = null) =>
        Open(directory, options, logger, deviceFactory: null);

    internal static WriteAheadLog Open(string directory, WalOptions? options, ILogger? logger, Func<string, IDevice>? deviceFactory, Func<string, WalCommitFile>? commitFileFactory = null)
    {
        options ??= new WalOptions();
        options.Validate();
        logger ??= NullLogger.Instance;
        Directory.CreateDirectory(directory);
        RefuseOtherCommitKind(directory, options);
        var path = Path.Combine(directory, "wal.log");
        // Format 4 (commit record in place): our device, flushed once per commit by the commit record's
        // writer. The older formats keep FASTER's write-through device, which needs no such call.
        var device = deviceFactory?.Invoke(path)
            ?? (options.CommitInPlace ? new WalDevice(path) : Devices.CreateLogDevice(path, preallocateFile: false, deleteOnClose: false, recoverDevice: true));
        WalCommitFile? commitFile = null;
        FasterLog log;
        try
        {
            commitFile = options.CommitInPlace ? (commitFileFactory ?? WalCommitFile.Open)(directory) : null;
            if (commitFile is not null && device is WalDevice walDevice)
            {
                commitFile.BeforeCommit = walDevice.SyncWritten;
            }

            log = new FasterLog(new FasterLogSettings
            {
                LogDevice = device,
                PageSizeBits = options.PageSizeBits,
                MemorySizeBits = options.MemorySizeBits,
                SegmentSizeBits = options.SegmentSizeBits,
                LogCommitManager = commitFile,
                LogCommitDir = commitFile is null ? directory : null,
                TryRecoverLatest = true,
                AutoRefreshSafeTailAddress = false,
            });
        }
        catch
        {
            commitFile?.Dispose();
            device.Dispose();
            throw;
        }

        return new WriteAheadLog(directory, options, device, commitFile, log, logger);
    }

    // A log written with the other kind of commit record would open as an empty log (FasterLog finds no
    // commit and starts over), and the next appends would overwrite it. NodeStorage picks the kind from
    // the directory's format; this catches anyone opening a WAL directory with the wrong options.
    private static void RefuseOtherCommitKind(string directory, WalOptions options)
    {
        var legacy = Directory.Exists(Path.Combine(directory, "log-commits"));
        var inPlace = File.Exists(Path.Combine(directory, WalCommitFile.FileName));
        if (options.CommitInPlace ? legacy : inPlace)
        {
            throw new StorageException(
                StorageError.UnsupportedFormat,
                options.CommitInPlace
                    ? $"WAL in '{directory}' records its commits as one file each (log-commits/, storage formats 2 and 3); it must be opened with the options for its data directory's format."
                    : $"WAL in '{directory}' records its commits in place ({WalCommitFile.FileName}, storage format 4); it must be opened with the options for its data directory's format.");
        }
    }

    /// <summary>
    /// Adds a record to the tail and returns its address. Not durable until <see cref="Commit"/> returns.
    /// Thread-safe; allocates nothing (the record is framed in a pooled buffer). A payload larger than one
    /// log page (<see cref="WalOptions.MaxPayloadSize"/>) is written as consecutive parts, up to
    /// <see cref="WalOptions.MaxRecordSize"/>; readers return it whole.
    /// </summary>
    public long Append(WalRecordKind kind, ReadOnlySpan<byte> payload)
    {
        ThrowIfUnusable();
        if (kind == WalRecordKind.None)
        {
            throw new StorageException(StorageError.InvalidArgument, "WAL record kind 0 is reserved.");
        }

        if (payload.Length > _options.MaxRecordSize)
        {
            throw new StorageException(StorageError.InvalidArgument, $"WAL payload of {payload.Length} bytes exceeds the {_options.MaxRecordSize}-byte record limit.");
        }

        // One appender at a time, so the parts of a split record are adjacent in the log.
        lock (_appendGate)
        {
            if (payload.Length <= _options.MaxPayloadSize)
            {
                return AppendPart(kind, WalRecordFlags.None, default, payload);
            }

            // First part: the total length, then as much payload as fits; then whole pages; the last part ends it.
            Span<byte> total = stackalloc byte[sizeof(int)];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(total, payload.Length);
            var take = _options.MaxPayloadSize - sizeof(int);
            var address = AppendPart(kind, WalRecordFlags.Continues, total, payload[..take]);
            var rest = payload[take..];
            while (rest.Length > _options.MaxPayloadSize)
            {
                AppendPart(kind, WalRecordFlags.Continues, default, rest[.._options.MaxPayloadSize]);
                rest = rest[_options.MaxPayloadSize..];
            }

            AppendPart(kind, WalRecordFlags.None, default, rest);
            return address;
        }
    }

    // Frames prefix + body as one log entry (at most one page) and enqueues it (internal: tests write damaged splits with it).
    internal long AppendPart(WalRecordKind kind, WalRecordFlags flags, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body)
    {
        var payloadLength = prefix.Length + body.Length;
        var size = WalRecordHeader.Size + payloadLength;
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var record = buffer.AsSpan(0, size);
            prefix.CopyTo(record[WalRecordHeader.Size..]);
            body.CopyTo(record[(WalRecordHeader.Size + prefix.Length)..]);
            WalRecordHeader.Write(record, kind, record[WalRecordHeader.Size..], flags);
            long address;
            var spinner = default(SpinWait);
            while (!_log.TryEnqueue(record, out address))
            {
                // The in-memory tail is full of pages still being written. If the device is failing (disk
                // full) they never drain, so find out through a commit instead of spinning forever.
                if (spinner.Count > 50)
                {
                    CommitNow();
                }

                ThrowIfUnusable();
                spinner.SpinOnce();
            }

            return address;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Returns once every record appended before the call is durable. Throws <see cref="StorageException"/>
    /// (<see cref="StorageError.DiskFull"/> or <see cref="StorageError.IoFailure"/>) if the device refused the
    /// write; those records are then not committed, and earlier commits are untouched.
    /// </summary>
    public void Commit()
    {
        ThrowIfUnusable();
        if (_groupCommitter is null)
        {
            CommitNow();
            return;
        }

        var until = _log.TailAddress;
        if (CommittedUntilAddress >= until)
        {
            return;
        }

        _commitRequested.Release();
        WaitCommitted(until);
    }

    /// <summary>Reads verified, committed records from <paramref name="fromAddress"/> (a record address, or <see cref="BeginAddress"/>).</summary>
    public WalReader Scan(long fromAddress)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var from = Math.Max(fromAddress, _log.BeginAddress);
        return new WalReader(_log, from, CommittedUntilAddress, _options.MaxRecordSize);
    }

    /// <summary>
    /// Drops records below <paramref name="address"/> (a record address from a checkpoint). Space is
    /// reclaimed a whole segment file at a time, once the truncation is committed.
    /// </summary>
    public void TruncateBefore(long address)
    {
        ThrowIfUnusable();
        if (address > _log.CommittedUntilAddress)
        {
            throw new StorageException(StorageError.InvalidArgument, $"Cannot truncate the WAL up to {address}: only {_log.CommittedUntilAddress} is committed.");
        }

        if (address <= _log.BeginAddress)
        {
            return;
        }

        _log.TruncateUntil(address);
        CommitNow();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping.Cancel();
        _commitRequested.Release();
        _groupCommitter?.Join();
        try
        {
            _log.Dispose();
        }
        finally
        {
            _commitFile?.Dispose();
            _device.Dispose();
            _commitRequested.Dispose();
            _stopping.Dispose();
        }
    }

    private void GroupCommitLoop()
    {
        while (true)
        {
            _commitRequested.Wait();
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            if (_options.GroupCommitDelay > TimeSpan.Zero)
            {
                Thread.Sleep(_options.GroupCommitDelay);
            }

            // Everyone who asked while the previous write ran is covered by this one write.
            while (_commitRequested.CurrentCount > 0)
            {
                _commitRequested.Wait(0);
            }

            try
            {
                CommitNow();
            }
            catch (StorageException)
            {
                // Recorded in _failure; waiters see it.
            }
        }
    }

    private void CommitNow()
    {
        if (_failure is not null)
        {
            throw _failure;
        }

        var until = _log.TailAddress;
        _log.Commit();
        WaitCommitted(until);
    }

    private void WaitCommitted(long until)
    {
        try
        {
            var wait = _log.WaitForCommitAsync(until);
            if (!wait.IsCompletedSuccessfully)
            {
                BlockOn(wait.AsTask(), _commitFile?.Failed);
            }
        }
        catch (Exception ex) when (ex is CommitFailureException or FasterException or IOException)
        {
            throw Failed(ex);
        }

        // FasterLog swallows a commit record's failure: the commit file reports it here instead.
        if (_commitFile?.Failure is { } commitFailure && _log.CommittedUntilAddress < until)
        {
            throw Failed(commitFailure);
        }

        if (_failure is not null && _log.CommittedUntilAddress < until)
        {
            throw _failure;
        }
    }

    // Waits for the commit, or for the commit record to fail (FasterLog then completes no waiter).
    // Task.WhenAny removes its continuation from the other task when one completes, so waiting on the
    // never-completing failure task leaves nothing behind. Off the thread pool (the consensus thread)
    // it sleeps without Task.Wait's spinning first: the commit is another thread's disk write, so
    // spinning (sched_yield) only takes a core from the validators sharing it. A pool thread keeps
    // Task.Wait, so the pool knows one of its workers is blocked.
    private static void BlockOn(Task commit, Task? recordFailed)
    {
        var either = recordFailed is null ? commit : Task.WhenAny(commit, recordFailed);
        if (!either.IsCompleted)
        {
            if (Thread.CurrentThread.IsThreadPoolThread)
            {
                try
                {
                    either.Wait();
                }
                catch (AggregateException)
                {
                    // The commit's own exception is rethrown, unwrapped, below.
                }
            }
            else
            {
                // Not disposed: the continuation may run after the wait returns (it only sets the event).
                var done = new ManualResetEventSlim(initialState: false, spinCount: 0);
                _ = either.ContinueWith(static (_, state) => ((ManualResetEventSlim)state!).Set(), done, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                done.Wait();
            }
        }

        if (commit.IsCompleted)
        {
            commit.GetAwaiter().GetResult();
        }
    }

    private StorageException Failed(Exception ex)
    {
        var failure = Classify(ex);
        if (Interlocked.CompareExchange(ref _failure, failure, null) is { } earlier)
        {
            return earlier;
        }

        LogCommitFailed(_logger, _directory, failure.Error, ex.Message);
        return failure;
    }

    private StorageException Classify(Exception ex)
    {
        long free;
        try
        {
            free = new DriveInfo(_directory).AvailableFreeSpace;
        }
        catch (Exception probe) when (probe is IOException or UnauthorizedAccessException or ArgumentException)
        {
            free = -1;
        }

        // The managed device loses errno (FASTER reports -1), so a nearly empty volume is the reliable sign;
        // devices that do pass errno report ENOSPC as "error code 28".
        var pageSize = 1L << _options.PageSizeBits;
        var noSpace = (free >= 0 && free < pageSize) || ex.Message.EndsWith("error code 28", StringComparison.Ordinal) || ex is IOException { HResult: 28 };
        return noSpace
            ? new StorageException(StorageError.DiskFull, $"WAL commit failed in '{_directory}': the disk is full ({(free >= 0 ? free.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")} bytes free). Records appended since the last successful commit were not committed; earlier ones are intact. Free space and restart.", ex)
            : new StorageException(StorageError.IoFailure, $"WAL commit failed in '{_directory}': {ex.Message}. Records appended since the last successful commit were not committed; earlier ones are intact.", ex);
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is { } failure)
        {
            throw failure;
        }
    }

    private WalRecoveryReport Verify()
    {
        var begin = _log.BeginAddress;
        using var reader = new WalReader(_log, begin, _log.CommittedUntilAddress, _options.MaxRecordSize);
        long count = 0;
        while (reader.TryReadNext(out _))
        {
            count++;
        }

        if (reader.CorruptAddress is { } corrupt)
        {
            LogCorrupt(_logger, _directory, corrupt, reader.StopReason ?? "unknown");
            return new WalRecoveryReport(begin, corrupt, count, corrupt, reader.StopReason);
        }

        if (reader.IncompleteAddress is { } incomplete)
        {
            // A commit landed between the parts of a split record and the process stopped before the
            // rest: the record was never acknowledged. Mark it dropped, so no later part is joined to it.
            var dropped = _log.CommittedUntilAddress - incomplete;
            AppendPart(WalRecordKind.Other, WalRecordFlags.DropsIncomplete, default, default);
            CommitNow();
            LogIncompleteDropped(_logger, _directory, incomplete, dropped);
        }

        return new WalRecoveryReport(begin, _log.CommittedUntilAddress, count, null, null);
    }

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "WAL in {Directory} ended inside a record written in parts, at address {Address} ({Bytes} bytes of parts): it was never wholly committed, so it is dropped (marked, not deleted)")]
    private static partial void LogIncompleteDropped(ILogger logger, string directory, long address, long bytes);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "WAL in {Directory} stops at corrupt record {Address}: {Reason}; appends refused")]
    private static partial void LogCorrupt(ILogger logger, string directory, long address, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "WAL commit failed in {Directory} ({Error}): {Reason}")]
    private static partial void LogCommitFailed(ILogger logger, string directory, StorageError error, string reason);
}
