using System.Buffers.Binary;
using FASTER.core;
using Microsoft.Win32.SafeHandles;

namespace CretoAI.Fast.Storage;

/// <summary>
/// Where the WAL records its commits (FasterLog's commit metadata: which address range is durable), from
/// storage format 4 on: one file, <c>wal/wal.commit</c>, of two 4 KiB slots written in turn. Each commit
/// overwrites the slot that does not hold the newest commit, in place, and is made durable with
/// <c>fdatasync</c>, so a commit costs one write and one flush of a block the file already owns.
/// FasterLog's own manager (kept for format 2 and 3 directories) created a new file per commit, wrote it
/// <c>O_SYNC</c> and unlinked the previous one: two directory changes, each an ext4 journal commit, on
/// the consensus thread's critical path.
/// </summary>
/// <remarks>
/// <para>A slot is: magic, layout version, commit number, metadata length, CRC-32C (over the header and
/// the metadata), metadata. A slot that was never written, or whose write was cut short by a crash,
/// fails its checksum and is skipped: recovery then uses the other slot, the previous commit, whose
/// records are all that was acknowledged (the cut-short commit's caller never returned).</para>
/// <para>Slots alternate by write, not by commit number: FasterLog numbers every commit request but
/// writes the record only for the last of several that one flush covers, so numbers skip, and a
/// parity rule could overwrite the newest acknowledged commit with the next one.</para>
/// <para>A write or flush that fails is thrown back into FasterLog, which then neither marks the range
/// committed nor deletes segments below a new begin address (it swallows the exception and completes
/// no waiter). So the failure is also kept: <see cref="Failure"/> and <see cref="Failed"/> let the WAL
/// wake its waiters and report it, and every later commit fails the same way.</para>
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
    private readonly TaskCompletionSource<IOException> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextSlot;

    internal WalCommitFile(SafeFileHandle file, string path)
    {
        _file = file;
        _path = path;

        // The next write goes to the slot that does not hold the newest commit.
        long newest = -1;
        for (var slot = 0; slot < 2; slot++)
        {
            if (TryReadSlot(slot, out var number, out _) && number > newest)
            {
                newest = number;
                _nextSlot = 1 - slot;
            }
        }
    }

    /// <summary>The first failed write or flush, if any: no commit since then is durable.</summary>
    public IOException? Failure => _failed.Task.IsCompletedSuccessfully ? _failed.Task.Result : null;

    /// <summary>Completes, with <see cref="Failure"/>, when a commit record fails to be written (never faults).</summary>
    public Task Failed => _failed.Task;

    /// <summary>
    /// Run first in every <see cref="Commit"/>, under its lock: the log device makes the pages below the
    /// commit durable (<see cref="WalDevice.SyncWritten"/>). A failure fails the commit like a failed write.
    /// </summary>
    internal Action? BeforeCommit { get; set; }

    /// <summary>
    /// Opens <c>wal.commit</c> in <paramref name="directory"/>, creating it (two empty slots, flushed
    /// together with the directory entry) if it is missing or shorter than two slots. The file is made
    /// before the log writes anything, so a missing or short file next to log segments that hold data
    /// means the commit record was lost, not never written: that is refused rather than recovered as an
    /// empty log.
    /// </summary>
    /// <exception cref="StorageException">The commit record is missing but the log has data (<see cref="StorageError.WalCorrupt"/>).</exception>
    public static WalCommitFile Open(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var segmentsHoldData = Directory.EnumerateFiles(directory, "wal.log.*").Any(f => new FileInfo(f).Length > 0);
        var file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            if (RandomAccess.GetLength(file) < 2 * SlotSize)
            {
                if (segmentsHoldData)
                {
                    throw new StorageException(
                        StorageError.WalCorrupt,
                        $"WAL in '{directory}' has log segments but its commit record '{FileName}' is missing or cut short, so which records were committed is unknown. Refusing to start from an empty log; restore the directory from a backup or resynchronise from peers.");
                }

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

    /// <inheritdoc />
    public void Commit(long beginAddress, long untilAddress, byte[] commitMetadata, long commitNum, bool forceWriteMetadata)
    {
        lock (_gate)
        {
            if (Failure is { } failure)
            {
                throw failure;
            }

            try
            {
                if (commitMetadata.Length > MaxMetadataSize)
                {
                    throw new IOException($"WAL commit {commitNum}: {commitMetadata.Length} bytes of commit metadata do not fit a {SlotSize}-byte slot of '{_path}'.");
                }

                BeforeCommit?.Invoke();
                Encode(_slot, commitNum, commitMetadata);
                RandomAccess.Write(_file, _slot.AsSpan(0, HeaderSize + commitMetadata.Length), (long)_nextSlot * SlotSize);
                FileSync.Data(_file);
                _nextSlot = 1 - _nextSlot;
            }
            catch (Exception ex)
            {
                var recorded = ex as IOException ?? new IOException($"Writing WAL commit record '{_path}' failed: {ex.Message}", ex);
                _failed.TrySetResult(recorded);
                throw recorded;
            }
        }
    }

    /// <inheritdoc />
    public byte[] GetCommitMetadata(long commitNum)
    {
        lock (_gate)
        {
            for (var slot = 0; slot < 2; slot++)
            {
                if (TryReadSlot(slot, out var number, out var metadata) && number == commitNum)
                {
                    return metadata;
                }
            }

            return null!;
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
                if (TryReadSlot(slot, out var number, out _))
                {
                    found.Add(number);
                }
            }
        }

        found.Sort((a, b) => b.CompareTo(a));
        return found;
    }

    /// <inheritdoc />
    /// <remarks>FasterLog 2.6.5 does not call this for a log; a slot holding the commit is emptied.</remarks>
    public void RemoveCommit(long commitNum)
    {
        lock (_gate)
        {
            for (var slot = 0; slot < 2; slot++)
            {
                if (TryReadSlot(slot, out var number, out _) && number == commitNum)
                {
                    ClearSlot(slot);
                }
            }
        }
    }

    /// <inheritdoc />
    public void RemoveAllCommits()
    {
        lock (_gate)
        {
            ClearSlot(0);
            ClearSlot(1);
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

    private bool TryReadSlot(int slot, out long commitNum, out byte[] metadata)
    {
        Span<byte> buffer = stackalloc byte[SlotSize];
        var read = RandomAccess.Read(_file, buffer, (long)slot * SlotSize);
        return TryDecode(buffer[..read], out commitNum, out metadata);
    }

    private void ClearSlot(int slot)
    {
        RandomAccess.Write(_file, new byte[HeaderSize], (long)slot * SlotSize);
        FileSync.Data(_file);
    }
}
