using System.Collections.Concurrent;
using FASTER.core;
using Microsoft.Win32.SafeHandles;

namespace CretoAI.Fast.Storage;

/// <summary>
/// The WAL's log device (storage format 4): segment files written through the page cache, made durable
/// once per commit by <see cref="SyncWritten"/>, which the commit record's writer calls before it writes
/// the record. FASTER's own device on Linux opens segments <c>O_SYNC | O_DIRECT</c> and runs every page
/// write on a thread-pool task, so a block spanning four pages cost four synchronous device writes and
/// four thread hops before the commit's own flush; here it costs four page-cache copies on the calling
/// thread and one <c>fdatasync</c> per segment written. The guarantee is unchanged: a commit record is
/// written only after every page below its address is on stable storage, and recovery trusts nothing
/// above the newest commit record.
/// </summary>
/// <remarks>
/// Reads and writes are plain <c>pread</c>/<c>pwrite</c> on the calling thread, their callbacks made
/// before returning (no thread-pool hop per page). A new segment file's name is made durable with a
/// directory flush at the next sync (and the first sync after opening flushes the directory anyway, for
/// a segment created just before a crash). A failed read or write is reported to FASTER through the
/// callback (errno as the error code, EIO when there is none), never thrown: an exception would leave
/// FASTER waiting for a callback. A failed flush is thrown by <see cref="SyncWritten"/> into the commit,
/// which fails. A segment that cannot be deleted when the log is truncated is left on disk and counted
/// (<see cref="DeleteFailures"/>); it lies below the log's begin address and is never read.
/// </remarks>
internal sealed class WalDevice : StorageDeviceBase
{
    private const uint GenericError = 5; // EIO, when the exception carries no errno
    private const int MaxErrno = 4095;

    private readonly ConcurrentDictionary<int, SafeFileHandle> _segments = new();
    private readonly ConcurrentDictionary<int, byte> _written = new();
    private readonly Lock _syncGate = new();
    private readonly string _directory;
    private int _newFiles;
    private bool _disposed;

    public WalDevice(string path)
        : base(path, 512, Devices.CAPACITY_UNSPECIFIED)
    {
        _directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        Directory.CreateDirectory(_directory);
        FindSegments();

        // A segment file created just before a crash may exist without its directory entry being durable.
        _newFiles = 1;
    }

    /// <summary>Segments written to since the last <see cref="SyncWritten"/> (tests read it).</summary>
    internal int UnsyncedSegments => _written.Count;

    /// <summary>
    /// Makes every page written since the last call durable (<c>fdatasync</c> of each segment written,
    /// then the directory if a segment file was created).
    /// </summary>
    /// <exception cref="IOException">A flush failed: the pages may not be on disk.</exception>
    public void SyncWritten()
    {
        lock (_syncGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var segment in _written.Keys)
            {
                // Removed before the flush: a page written meanwhile marks its segment again for the next sync.
                _written.TryRemove(segment, out _);
                if (_segments.TryGetValue(segment, out var handle))
                {
                    FileSync.Data(handle);
                }
            }

            if (Interlocked.Exchange(ref _newFiles, 0) != 0)
            {
                FileSync.Directory(_directory);
            }
        }
    }

    public override void WriteAsync(IntPtr sourceAddress, int segmentId, ulong destinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context)
    {
        uint error = 0;
        try
        {
            HandleCapacity(segmentId);
            var handle = Handle(segmentId);
            unsafe
            {
                RandomAccess.Write(handle, new ReadOnlySpan<byte>((void*)sourceAddress, checked((int)numBytesToWrite)), checked((long)destinationAddress));
            }

            _written[segmentId] = 0;
        }
#pragma warning disable CA1031 // Every failure must reach FASTER through the callback.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ErrorCode(ex);
            numBytesToWrite = 0;
        }

        callback(error, numBytesToWrite, context);
    }

    public override void ReadAsync(int segmentId, ulong sourceAddress, IntPtr destinationAddress, uint readLength, DeviceIOCompletionCallback callback, object context)
    {
        uint error = 0;
        var read = 0;
        try
        {
            var handle = Handle(segmentId);
            unsafe
            {
                var destination = new Span<byte>((void*)destinationAddress, checked((int)readLength));
                var offset = checked((long)sourceAddress);
                while (read < destination.Length)
                {
                    var n = RandomAccess.Read(handle, destination[read..], offset + read);
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }

                // FASTER reads only below what was flushed, so a short read means lost data: zeros (which
                // fail the record checks) instead of whatever an earlier read left in the buffer.
                destination[read..].Clear();
            }
        }
#pragma warning disable CA1031 // Every failure must reach FASTER through the callback.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ErrorCode(ex);
            read = 0;
        }

        callback(error, (uint)read, context);
    }

    public override void RemoveSegment(int segment)
    {
        if (_segments.TryRemove(segment, out var handle))
        {
            handle.Dispose();
        }

        _written.TryRemove(segment, out _);
        try
        {
            File.Delete(SegmentPath(segment));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Runs inside FASTER's epoch machinery, where an exception would wedge the log. The file lies
            // below the begin address and is never read again; it costs only its disk space.
            DeleteFailures++;
        }
    }

    public override void RemoveSegmentAsync(int segment, AsyncCallback callback, IAsyncResult result)
    {
        try
        {
            RemoveSegment(segment);
        }
        finally
        {
            callback(result);
        }
    }

    /// <summary>Segment files that could not be deleted when the log was truncated (left on disk, harmless).</summary>
    public int DeleteFailures { get; private set; }

    public override long GetFileSize(int segment)
    {
        var path = SegmentPath(segment);
        return File.Exists(path) ? new FileInfo(path).Length : 0;
    }

    public override void Dispose()
    {
        _disposed = true;
        foreach (var handle in _segments.Values)
        {
            handle.Dispose();
        }

        _segments.Clear();
    }

    // .NET puts the errno of a failed system call in an IOException's HResult; anything else is EIO.
    private static uint ErrorCode(Exception ex) =>
        ex is IOException { HResult: > 0 and <= MaxErrno and var errno } ? (uint)errno : GenericError;

    private SafeFileHandle Handle(int segment)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_segments.TryGetValue(segment, out var handle))
        {
            return handle;
        }

        lock (_segments)
        {
            if (_segments.TryGetValue(segment, out handle))
            {
                return handle;
            }

            var path = SegmentPath(segment);
            var existed = File.Exists(path);
            handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            _segments[segment] = handle;
            if (!existed)
            {
                Interlocked.Exchange(ref _newFiles, 1);
            }

            return handle;
        }
    }

    private string SegmentPath(int segment) => GetSegmentFilename(FileName, segment);

    // As FASTER's own device does when asked to recover: the segments on disk bound the log's range.
    private void FindSegments()
    {
        var name = Path.GetFileName(FileName);
        var found = new List<int>();
        foreach (var file in Directory.EnumerateFiles(_directory, name + ".*"))
        {
            if (int.TryParse(Path.GetFileName(file).AsSpan(name.Length + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var segment))
            {
                found.Add(segment);
            }
        }

        found.Sort();
        var previous = -1;
        foreach (var segment in found)
        {
            if (segment != previous + 1)
            {
                startSegment = segment;
            }
            else
            {
                endSegment = segment;
            }

            previous = segment;
        }
    }
}
