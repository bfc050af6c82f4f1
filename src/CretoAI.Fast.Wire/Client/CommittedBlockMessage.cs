using System.Buffers;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Wire.Client;

/// <summary>
/// Payload of <see cref="MessageType.BlockInfo"/> (0x0205) and <see cref="MessageType.CommitNotice"/>
/// (0x0207): a committed block's summary with the id and verdict of each of its transactions, in
/// block order. Layout, little-endian (docs/protocol.md, "Client protocol"):
/// <code>
///  0  u64   height
///  8  32 B  block id
/// 40  32 B  state hash after the block
/// 72  u64   round the block was proposed in
/// 80  u64   block timestamp, Unix milliseconds
/// 88  i32   proposer's validator index, ≥ -1 (-1: unknown)
/// 92  u32   transaction count N, at most 65,536
/// 96  N entries, each:
///       32 B  transaction id
///       u8    verdict (TransactionVerdicts)
///       u16   reason length R, at most 256
///       R     reason, UTF-8 (R = 0: no reason)
/// </code>
/// Nothing may follow the last entry.
/// </summary>
public sealed record CommittedBlockMessage(
    ulong Height,
    Hash32 BlockHash,
    Hash32 StateHash,
    ulong Round,
    ulong TimestampMs,
    int ProposerIndex,
    IReadOnlyList<TransactionResultEntry> Transactions)
{
    public const int FixedLength = 96;

    /// <summary>Bytes of one entry without its reason.</summary>
    public const int EntryFixedLength = Hash32.Size + 1 + 2;

    /// <summary>Most transactions one message may list.</summary>
    public const int MaxTransactions = 65_536;

    /// <summary>Longest reason, in UTF-8 bytes; a longer one is truncated on a character boundary when written.</summary>
    public const int MaxReasonBytes = 256;

    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var transactions = Transactions ?? [];
        if (transactions.Count > MaxTransactions || ProposerIndex < -1)
        {
            throw new InvalidOperationException($"A committed block message carries at most {MaxTransactions} transactions and a proposer index ≥ -1 (got {transactions.Count}, {ProposerIndex}).");
        }

        FixedPayloadWriter.WriteUInt64(writer, Height);
        FixedPayloadWriter.WriteHash(writer, BlockHash);
        FixedPayloadWriter.WriteHash(writer, StateHash);
        FixedPayloadWriter.WriteUInt64(writer, Round);
        FixedPayloadWriter.WriteUInt64(writer, TimestampMs);
        FixedPayloadWriter.WriteInt32(writer, ProposerIndex);
        FixedPayloadWriter.WriteUInt32(writer, (uint)transactions.Count);
        for (var i = 0; i < transactions.Count; i++)
        {
            var entry = transactions[i];
            FixedPayloadWriter.WriteHash(writer, entry.Id);
            FixedPayloadWriter.WriteByte(writer, entry.Verdict);
            FixedPayloadWriter.WriteUtf8(writer, entry.Reason, MaxReasonBytes);
        }
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out CommittedBlockMessage? value) => TryRead(payload, out value, out _);

    public static bool TryRead(ReadOnlySpan<byte> payload, out CommittedBlockMessage? value, out WireErrorCode error)
    {
        value = null;
        var reader = new FixedPayloadReader(payload);
        if (!reader.TryReadUInt64(out var height)
            || !reader.TryReadHash(out var blockHash)
            || !reader.TryReadHash(out var stateHash)
            || !reader.TryReadUInt64(out var round)
            || !reader.TryReadUInt64(out var timestamp)
            || !reader.TryReadInt32(-1, out var proposer)
            || !reader.TryReadUInt32(out var count))
        {
            error = reader.Error;
            return false;
        }

        // Bound the count by its limit and by the bytes present before allocating for it.
        if (count > MaxTransactions)
        {
            error = WireErrorCode.FieldTooLarge;
            return false;
        }

        if ((long)count * EntryFixedLength > reader.Remaining)
        {
            error = WireErrorCode.PayloadTooShort;
            return false;
        }

        var transactions = new TransactionResultEntry[count];
        for (var i = 0; i < transactions.Length; i++)
        {
            if (!reader.TryReadHash(out var id) || !reader.TryReadByte(out var verdict) || !reader.TryReadUtf8(MaxReasonBytes, out var reason))
            {
                error = reader.Error;
                return false;
            }

            transactions[i] = new TransactionResultEntry(id, verdict, reason.Length == 0 ? null : reason);
        }

        if (!reader.TryEnd())
        {
            error = reader.Error;
            return false;
        }

        error = WireErrorCode.None;
        value = new CommittedBlockMessage(height, blockHash, stateHash, round, timestamp, proposer, transactions);
        return true;
    }
}
