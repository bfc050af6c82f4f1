using System.Buffers.Binary;
using FASTER.core;
using Microsoft.Win32.SafeHandles;

namespace CretoAI.Fast.Storage;

/// <summary>
/// Where the WAL records its commits (FasterLog's commit metadata: which address range is durable), from
/// storage format 4 on: one file, <c>wal/wal.commit</c>, of two 4 KiB slots written in turn. Commit n
/// overwrites slot n mod 2 in place and is made durable with <c>fdatasync</c>, so a commit costs one
/// write and one flush of a block the file already owns. FasterLog's own manager (kept for format 2 and
/// 3 directories) created a new file per commit, wrote it <c>O_SYNC</c> and unlinked the previous one:
/// two directory changes, each an ext4 journal commit, on the consensus thread's critical path.
/// </summary>
/// <remarks>
/// A slot is: magic, layout version, commit number, metadata length, CRC-32C (over the header and the
/// metadata), metadata. A slot that was never written, or whose write was cut short by a crash, fails
/// its checksum and is skipped: recovery then uses the other slot, the previous commit, whose records
/// are all that was acknowledged (the cut-short commit's caller never returned). A write or flush that
/// fails is not retried: <see cref="Failure"/> holds it, every later commit fails the same way, and the
/// WAL reports it to its callers (FasterLog itself ignores commit-manager failures).
/// </remarks>
internal sealed class WalCommitFile : ILogCommitManager
{
    /// <summary>The file's name inside the WAL directory.</summary>
    public const string FileName = "wal.commit";

    /// <summary>One slot: a file-system block, so writing one never touches the other.</summary>
    public const int SlotSize = 4096;

    /// <summary>Magic (4), layout version (2), reserved (2), commit number (8), length (4), checksum (4).</summary>
    public const int HeaderSize = 24;

    /// <summary>Largest metadata a slot holds. FasterLog's is ~50 bytes without named iterators or a cookie (the WAL uses neither).</summary>
    public const int MaxMetadataSize = SlotSize - HeaderSize;

    private const uint Magic = 0x4D43_5743; // "CWCM", little-endian
    private const ushort LayoutVersion = 1;

    private readonly SafeFileHandle _file;
    private readonly string _path;
    private readonly byte[] _slot = new byte[SlotSize];
    private readonly Lock _gate = new();
    private volatile IOException? _failure;
    private long _durableUntil = long.MaxValue;
    private long _lastUntil;

    internal WalCommitFile(SafeFileHandle file, string path)
    {
        _file = file;
        _path = path;
    }

    /// <summary>The first failed write or flush, if any: no commit since then is durable.</summary>
    public IOException? Failure => _failure;

    /// <summary>After a <see cref="Failure"/>: the end of the last commit written before it (what recovery will find). Otherwise <see cref="long.MaxValue"/>.</summary>
    public long DurableUntil => _failure is null ? long.MaxValue : Interlocked.Read(ref _durableUntil);

    /// <summary>
    /// Opens <c>wal.commit</c> in <paramref name="directory"/>, creating it (two empty slots, flushed
    /// together with the directory entry) if it is missing or shorter than two slots. A short file can
    /// only come from a crash during that creation, before any commit was written to it.
    /// </summary>
    public static WalCommitFile Open(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            if (RandomAccess.GetLength(file) < 2 * SlotSize)
            {
                RandomAccess.Write(file, new byte[2 * SlotSize], 0);
                RandomAccess.FlushToDisk(file);
                FileSync.Directory(directory);
            }

            return new WalCommitFile(file, path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Tells the file where the recovered log's committed range ends (the <see cref="DurableUntil"/> of a failure before any commit of this process).</summary>
    public void Recovered(long committedUntil) => _lastUntil = committedUntil;

    /// <inheritdoc />
    public void Commit(long beginAddress, long untilAddress, byte[] commitMetadata, long commitNum, bool forceWriteMetadata)
    {
        lock (_gate)
        {
            if (_failure is not null)
            {
                return;
            }

            try
            {
                if (commitMetadata.Length > MaxMetadataSize)
                {
                    throw new IOException($"WAL commit {commitNum}: {commitMetadata.Length} bytes of commit metadata do not fit a {SlotSize}-byte slot of '{_path}'.");
                }

                Encode(_slot, commitNum, commitMetadata);
                RandomAccess.Write(_file, _slot.AsSpan(0, HeaderSize + commitMetadata.Length), SlotOffset(commitNum));
                FileSync.Data(_file);
                _lastUntil = untilAddress;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Interlocked.Exchange(ref _durableUntil, _lastUntil);
                _failure = ex as IOException ?? new IOException(ex.Message, ex);
            }
        }
    }

    /// <inheritdoc />
    public byte[] GetCommitMetadata(long commitNum)
    {
        lock (_gate)
        {
            return TryReadSlot(SlotOffset(commitNum), out var number, out var metadata) && number == commitNum ? metadata : null!;
        }
    }

    /// <inheritdoc />
    public IEnumerable<long> ListCommits()
    {
        var found = new List<long>(2);
        lock (_gate)
        {
            for (var slot = 0; slot < 2; slot++)
            {
                if (TryReadSlot(slot * SlotSize, out var number, out _))
                {
                    found.Add(number);
                }
            }
        }

        found.Sort((a, b) => b.CompareTo(a));
        return found;
    }

    /// <inheritdoc />
    public void RemoveCommit(long commitNum)
    {
        lock (_gate)
        {
            if (TryReadSlot(SlotOffset(commitNum), out var number, out _) && number == commitNum)
            {
                ClearSlot(SlotOffset(commitNum));
            }
        }
    }

    /// <inheritdoc />
    public void RemoveAllCommits()
    {
        lock (_gate)
        {
            ClearSlot(0);
            ClearSlot(SlotSize);
        }
    }

    /// <inheritdoc />
    public void OnRecovery(long commitNum)
    {
        // Nothing to tidy: the file never holds more than the last two commits.
    }

    public void Dispose() => _file.Dispose();

    /// <summary>Writes the slot for <paramref name="commitNum"/> into <paramref name="slot"/> (header then metadata).</summary>
    internal static void Encode(Span<byte> slot, long commitNum, ReadOnlySpan<byte> metadata)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(slot, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(slot[4..], LayoutVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(slot[6..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(slot[8..], commitNum);
        BinaryPrimitives.WriteInt32LittleEndian(slot[16..], metadata.Length);
        metadata.CopyTo(slot[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[20..], RecordChecksum.Compute(slot[..20], metadata));
    }

    /// <summary>Decodes a slot: false for an empty, torn or foreign one.</summary>
    internal static bool TryDecode(ReadOnlySpan<byte> slot, out long commitNum, out byte[] metadata)
    {
        commitNum = 0;
        metadata = [];
        if (slot.Length < HeaderSize
            || BinaryPrimitives.ReadUInt32LittleEndian(slot) != Magic
            || BinaryPrimitives.ReadUInt16LittleEndian(slot[4..]) != LayoutVersion)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(slot[16..]);
        if (length < 0 || length > Math.Min(MaxMetadataSize, slot.Length - HeaderSize))
        {
            return false;
        }

        var body = slot.Slice(HeaderSize, length);
        if (RecordChecksum.Compute(slot[..20], body) != BinaryPrimitives.ReadUInt32LittleEndian(slot[20..]))
        {
            return false;
        }

        commitNum = BinaryPrimitives.ReadInt64LittleEndian(slot[8..]);
        metadata = body.ToArray();
        return true;
    }

    private static long SlotOffset(long commitNum) => (commitNum & 1) * SlotSize;

    private bool TryReadSlot(long offset, out long commitNum, out byte[] metadata)
    {
        Span<byte> buffer = stackalloc byte[SlotSize];
        var read = RandomAccess.Read(_file, buffer, offset);
        return TryDecode(buffer[..read], out commitNum, out metadata);
    }

    private void ClearSlot(long offset)
    {
        RandomAccess.Write(_file, new byte[HeaderSize], offset);
        FileSync.Data(_file);
    }
}
