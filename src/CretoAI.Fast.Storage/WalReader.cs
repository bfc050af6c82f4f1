using System.Buffers;
using FASTER.core;

namespace CretoAI.Fast.Storage;

/// <summary>
/// Reads verified WAL records in address order over a fixed range. Stops, for good, at the first record
/// that fails its check and says why in <see cref="StopReason"/>; a corrupt record is never returned.
/// A record written in parts (<see cref="WalRecordFlags.Continues"/>) is returned whole, at its first
/// part's address; parts cut off by the end of the range are reported in <see cref="IncompleteAddress"/>
/// and never returned. Single-threaded; dispose it to release its buffers.
/// </summary>
public sealed unsafe class WalReader : IDisposable
{
    private readonly FasterLogScanIterator _iterator;
    private readonly long _endAddress;
    private readonly int _maxRecordSize;
    private byte[] _buffer;
    private byte[] _joined = [];
    private bool _stopped;

    internal WalReader(FasterLog log, long fromAddress, long endAddress, int maxRecordSize)
    {
        _endAddress = endAddress;
        _maxRecordSize = maxRecordSize;
        _iterator = log.Scan(fromAddress, endAddress, name: null, recover: false);
        _buffer = ArrayPool<byte>.Shared.Rent(4096);
    }

    /// <summary>Why the scan ended early (a corrupt record), or null if it has not (or ended cleanly).</summary>
    public string? StopReason { get; private set; }

    /// <summary>Address of the record that failed its check, if any.</summary>
    public long? CorruptAddress { get; private set; }

    /// <summary>
    /// First part of a split record whose remaining parts are past the end of the range (the scan ended
    /// there; the record was never complete in the committed log), or null.
    /// </summary>
    public long? IncompleteAddress { get; private set; }

    /// <summary>Address just past the last record returned (or the start address).</summary>
    public long NextAddress { get; private set; }

    /// <summary>Next verified record, or false at the end of the range or at a corrupt record.</summary>
    public bool TryReadNext(out WalRecord record)
    {
        record = default;
        long first = -1;
        var joinedKind = WalRecordKind.None;
        var joinedLength = 0;
        var declaredLength = 0;
        while (!_stopped)
        {
            if (!TryReadEntry(out var current, out var next, out var length))
            {
                if (first >= 0 && CorruptAddress is null)
                {
                    IncompleteAddress = first;
                }

                return false;
            }

            var reason = WalRecordHeader.Validate(_buffer.AsSpan(0, length), out var kind, out var payload, out var flags);
            if (reason is not null)
            {
                Stop(current, reason);
                return false;
            }

            if (flags.HasFlag(WalRecordFlags.DropsIncomplete))
            {
                // The parts before this marker never became a whole record (see WalRecordFlags); skip both.
                first = -1;
                joinedLength = 0;
                NextAddress = next;
                continue;
            }

            var continues = flags.HasFlag(WalRecordFlags.Continues);
            if (first < 0 && !continues)
            {
                NextAddress = next;
                record = new WalRecord(kind, current, next, payload);
                return true;
            }

            if (first < 0)
            {
                // First part: a u32 total payload length, then the first bytes of the payload.
                if (payload.Length < sizeof(int))
                {
                    Stop(current, "first part of a split record is too short to hold its length");
                    return false;
                }

                declaredLength = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(payload);
                if (declaredLength <= payload.Length - sizeof(int) || declaredLength > _maxRecordSize)
                {
                    Stop(current, $"split record declares {declaredLength} bytes, outside {payload.Length - sizeof(int) + 1}..{_maxRecordSize}");
                    return false;
                }

                first = current;
                joinedKind = kind;
                payload = payload[sizeof(int)..];
                if (_joined.Length < declaredLength)
                {
                    ReturnJoined();
                    _joined = ArrayPool<byte>.Shared.Rent(declaredLength);
                }
            }
            else if (kind != joinedKind)
            {
                Stop(current, $"part of a split {joinedKind} record has kind {kind}");
                return false;
            }

            if (payload.Length > declaredLength - joinedLength || (!continues && payload.Length != declaredLength - joinedLength))
            {
                Stop(first, $"split record declares {declaredLength} bytes but its parts hold {joinedLength + payload.Length}{(continues ? " so far" : string.Empty)}");
                return false;
            }

            payload.CopyTo(_joined.AsSpan(joinedLength));
            joinedLength += payload.Length;
            if (!continues)
            {
                NextAddress = next;
                record = new WalRecord(joinedKind, first, next, _joined.AsSpan(0, joinedLength));
                return true;
            }
        }

        return false;
    }

    public void Dispose()
    {
        _iterator.Dispose();
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        ReturnJoined();
    }

    // Copies the next log entry into _buffer; false at the end of the range or when the framing is unreadable (stopped).
    private bool TryReadEntry(out long current, out long next, out int length)
    {
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
            current = next = 0;
            length = 0;
            return false;
        }

        if (current >= _endAddress)
        {
            _stopped = true;
            return false;
        }

        return true;
    }

    private void ReturnJoined()
    {
        if (_joined.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_joined);
            _joined = [];
        }
    }

    private void Stop(long address, string reason)
    {
        _stopped = true;
        CorruptAddress = address;
        StopReason = reason;
    }
}
