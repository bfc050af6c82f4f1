using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CretoAI.Fast.Storage.Blocks;

/// <summary>
/// The node's permanent record of committed blocks, one per height from 1, in an append-only file.
/// The WAL is the commit point and is pruned at checkpoints; the archive keeps every committed
/// block for queries and for peers that catch up, however far behind they are.
/// </summary>
/// <remarks>
/// <para>Record layout (little-endian): <c>u32 payload length, u32 CRC-32C of (height, payload),
/// u64 height, payload</c>. Heights are consecutive from 1.</para>
/// <para>Durability: <see cref="Append"/> writes through the OS cache and, every megabyte, asks the
/// kernel to start writing it out (so little is left for the next fsync); <see cref="Flush"/> makes
/// everything appended so far durable (fsync). The node flushes before every checkpoint, so every
/// block below the WAL's retained region is durable here, and blocks above it are in the WAL and
/// re-appended during recovery.</para>
/// <para>Open scans the record headers to rebuild the height index and verifies the last record in
/// full. A torn tail (a record cut short or failing its checksum, as a crash mid-append leaves it)
/// is truncated away with a warning that says what was dropped; the WAL still holds those blocks.</para>
/// Thread safety: one writer; reads from any thread (each read opens its own handle position).
/// </remarks>
public sealed class BlockArchive : IDisposable
{
    /// <summary>The file name inside the data directory.</summary>
    public const string FileName = "blocks.dat";

    /// <summary>Header bytes before each record's payload.</summary>
    public const int HeaderSize = 16;

    /// <summary>Largest payload accepted (a committed block with its certificate).</summary>
    public const int MaxPayloadSize = 64 * 1024 * 1024;

    private readonly List<long> _offsets = [];
    private readonly FileStream _file;
    private readonly Lock _lock = new();
    private readonly string _path;
    /// <summary>Appended bytes handed to the kernel's writeback at a time (see <see cref="FileSync.StartWriteback"/>).</summary>
    private const long WritebackChunk = 1 << 20;

    private long _length;
    private long _writebackFrom;
    private byte[] _scratch = [];

    private BlockArchive(string path, FileStream file)
    {
        _path = path;
        _file = file;
    }

    /// <summary>Highest archived height (0 when empty).</summary>
    public ulong Height
    {
        get
        {
            lock (_lock)
            {
                return (ulong)_offsets.Count;
            }
        }
    }

    /// <summary>What <see cref="Open"/> dropped from a torn tail, or null when the file was clean.</summary>
    public string? Repair { get; private set; }

    /// <summary>Opens (creating when missing) the archive in <paramref name="directory"/>, repairing a torn tail.</summary>
    public static BlockArchive Open(string directory, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        logger ??= NullLogger.Instance;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.RandomAccess);
        var archive = new BlockArchive(path, file);
        try
        {
            archive.Recover(logger);
            return archive;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Appends the block at <see cref="Height"/> + 1.</summary>
    /// <exception cref="ArgumentException">Wrong height or an oversized payload.</exception>
    public void Append(ulong height, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxPayloadSize)
        {
            throw new ArgumentException($"A block record of {payload.Length} bytes exceeds the archive's {MaxPayloadSize}-byte limit.", nameof(payload));
        }

        lock (_lock)
        {
            var expected = (ulong)_offsets.Count + 1;
            if (height != expected)
            {
                throw new ArgumentException($"The archive's next height is {expected}, not {height}.", nameof(height));
            }

            // One write of header and payload from a buffer kept across appends: a new array per
            // block was a large-object allocation (blocks run to megabytes) for every commit.
            var size = HeaderSize + payload.Length;
            if (_scratch.Length < size)
            {
                _scratch = new byte[Math.Max(size, _scratch.Length * 2)];
            }

            var record = _scratch.AsSpan(0, size);
            WriteHeader(record, height, payload);
            payload.CopyTo(record[HeaderSize..]);
            RandomAccess.Write(_file.SafeFileHandle, record, _length);
            _offsets.Add(_length);
            _length += size;
            if (_length - _writebackFrom >= WritebackChunk)
            {
                FileSync.StartWriteback(_file.SafeFileHandle, _writebackFrom, _length - _writebackFrom);
                _writebackFrom = _length;
            }
        }
    }

    /// <summary>Makes every appended record durable (fsync).</summary>
    /// <remarks>
    /// Appends go on meanwhile (the lock is not held across the fsync); records appended before the call
    /// are durable when it returns, later ones may or may not be.
    /// </remarks>
    public void Flush() => RandomAccess.FlushToDisk(_file.SafeFileHandle);

    /// <summary>Reads the payload stored for <paramref name="height"/>; false when not archived.</summary>
    /// <exception cref="StorageException">The record fails its checksum (disk corruption).</exception>
    public bool TryRead(ulong height, out byte[] payload)
    {
        long offset;
        long end;
        lock (_lock)
        {
            if (height == 0 || height > (ulong)_offsets.Count)
            {
                payload = [];
                return false;
            }

            offset = _offsets[(int)(height - 1)];
            end = height == (ulong)_offsets.Count ? _length : _offsets[(int)height];
        }

        var record = new byte[end - offset];
        ReadExactly(offset, record);
        if (!IsValid(record, height, out var reason))
        {
            throw new StorageException(StorageError.StateCorrupt, $"{_path}: block {height} at offset {offset} is corrupt ({reason}).");
        }

        payload = record[HeaderSize..];
        return true;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _file.Dispose();
        }
    }

    private static void WriteHeader(Span<byte> header, ulong height, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)payload.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], height);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], RecordChecksum.Compute(header.Slice(8, 8), payload));
    }

    private static bool IsValid(ReadOnlySpan<byte> record, ulong height, out string reason)
    {
        if (record.Length < HeaderSize)
        {
            reason = "shorter than a record header";
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(record);
        if (length != record.Length - HeaderSize)
        {
            reason = $"length field {length} does not match the {record.Length - HeaderSize} bytes present";
            return false;
        }

        var stored = BinaryPrimitives.ReadUInt64LittleEndian(record[8..]);
        if (stored != height)
        {
            reason = $"holds height {stored}";
            return false;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(record[4..]) != RecordChecksum.Compute(record.Slice(8, 8), record[HeaderSize..]))
        {
            reason = "checksum mismatch";
            return false;
        }

        reason = "";
        return true;
    }

    private void ReadExactly(long offset, Span<byte> destination)
    {
        var done = 0;
        while (done < destination.Length)
        {
            var n = RandomAccess.Read(_file.SafeFileHandle, destination[done..], offset + done);
            if (n == 0)
            {
                throw new StorageException(StorageError.StateCorrupt, $"{_path}: unexpected end of file at offset {offset + done}.");
            }

            done += n;
        }
    }

    private void Recover(ILogger logger)
    {
        var fileLength = RandomAccess.GetLength(_file.SafeFileHandle);
        Span<byte> header = stackalloc byte[HeaderSize];
        long offset = 0;
        string? problem = null;
        while (offset < fileLength)
        {
            if (fileLength - offset < HeaderSize)
            {
                problem = $"a {fileLength - offset}-byte partial header";
                break;
            }

            ReadExactly(offset, header);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
            var height = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
            var expected = (ulong)_offsets.Count + 1;
            if (height != expected || length > MaxPayloadSize)
            {
                problem = $"a record header claiming height {height} and {length} bytes where height {expected} was due";
                break;
            }

            var end = offset + HeaderSize + length;
            if (end > fileLength)
            {
                problem = $"block {height} cut short ({fileLength - offset} of {HeaderSize + length} bytes present)";
                break;
            }

            _offsets.Add(offset);
            offset = end;
        }

        // The last complete record is the one a crash could have left half-written in the page cache: check it whole.
        while (problem is null && _offsets.Count > 0)
        {
            var last = _offsets[^1];
            var record = new byte[offset - last];
            ReadExactly(last, record);
            if (IsValid(record, (ulong)_offsets.Count, out var reason))
            {
                break;
            }

            problem = $"block {_offsets.Count} failing verification ({reason})";
            offset = last;
            _offsets.RemoveAt(_offsets.Count - 1);
        }

        if (problem is not null)
        {
            Repair = $"{_path}: dropped {fileLength - offset} bytes from offset {offset}: {problem}; the archive now ends at height {_offsets.Count} (the WAL re-supplies later blocks)";
            logger.LogWarning("Block archive torn tail repaired: {Repair}", Repair);
            _file.SetLength(offset);
            _file.Flush(flushToDisk: true);
        }

        _length = offset;
        _writebackFrom = offset;
    }
}
