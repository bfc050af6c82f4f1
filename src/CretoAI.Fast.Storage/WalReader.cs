using System.Buffers;
using FASTER.core;

namespace CretoAI.Fast.Storage;

/// <summary>
/// Reads verified WAL records in address order over a fixed range. Stops, for good, at the first record
/// that fails its check and says why in <see cref="StopReason"/>; a corrupt record is never returned.
/// Single-threaded; dispose it to release its buffers.
/// </summary>
public sealed unsafe class WalReader : IDisposable
{
    private readonly FasterLogScanIterator _iterator;
    private readonly long _endAddress;
    private byte[] _buffer;
    private bool _stopped;

    internal WalReader(FasterLog log, long fromAddress, long endAddress)
    {
        _endAddress = endAddress;
        _iterator = log.Scan(fromAddress, endAddress, name: null, recover: false);
        _buffer = ArrayPool<byte>.Shared.Rent(4096);
    }

    /// <summary>Why the scan ended early (a corrupt record), or null if it has not (or ended cleanly).</summary>
    public string? StopReason { get; private set; }

    /// <summary>Address of the record that failed its check, if any.</summary>
    public long? CorruptAddress { get; private set; }

    /// <summary>Address just past the last record returned (or the start address).</summary>
    public long NextAddress { get; private set; }

    /// <summary>Next verified record, or false at the end of the range or at a corrupt record.</summary>
    public bool TryReadNext(out WalRecord record)
    {
        record = default;
        if (_stopped)
        {
            return false;
        }

        long current;
        long next;
        int length;
        try
        {
            if (!_iterator.UnsafeGetNext(out var entry, out length, out current, out next))
            {
                _stopped = true;
                return false;
            }

            try
            {
                if (_buffer.Length < length)
                {
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = ArrayPool<byte>.Shared.Rent(length);
                }

                new ReadOnlySpan<byte>(entry, length).CopyTo(_buffer);
            }
            finally
            {
                // Release the log's epoch now: holding it while the caller works would stall flushes.
                _iterator.UnsafeRelease();
            }
        }
#pragma warning disable CA1031 // Any failure to parse the log framing means the bytes are not a valid record.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Stop(_iterator.NextAddress, "log framing unreadable: " + ex.Message);
            return false;
        }

        if (current >= _endAddress)
        {
            _stopped = true;
            return false;
        }

        var reason = WalRecordHeader.Validate(_buffer.AsSpan(0, length), out var kind, out var payload);
        if (reason is not null)
        {
            Stop(current, reason);
            return false;
        }

        NextAddress = next;
        record = new WalRecord(kind, current, next, payload);
        return true;
    }

    public void Dispose()
    {
        _iterator.Dispose();
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void Stop(long address, string reason)
    {
        _stopped = true;
        CorruptAddress = address;
        StopReason = reason;
    }
}
