using FASTER.core;

namespace CretoAI.Fast.Storage;

/// <summary>
/// FASTER callbacks for one shard. Stateless, shared by every session. Values are copied straight into the
/// caller's buffer (reads) or out of the caller's pinned span (writes): nothing is allocated per operation.
/// </summary>
internal sealed unsafe class ShardFunctions : FunctionsBase<SpanByte, SpanByte, ShardInput, ShardOutput, Empty>
{
    public static readonly ShardFunctions Instance = new();

    public override bool SingleReader(ref SpanByte key, ref ShardInput input, ref SpanByte value, ref ShardOutput dst, ref ReadInfo readInfo)
    {
        Deliver(ref value, ref dst);
        return true;
    }

    public override bool ConcurrentReader(ref SpanByte key, ref ShardInput input, ref SpanByte value, ref ShardOutput dst, ref ReadInfo readInfo)
    {
        Deliver(ref value, ref dst);
        return true;
    }

    public override bool SingleWriter(ref SpanByte key, ref ShardInput input, ref SpanByte src, ref SpanByte dst, ref ShardOutput output, ref UpsertInfo upsertInfo, WriteReason reason)
    {
        // Also used by FASTER when it copies a record (e.g. to the tail); sizes always match there.
        src.CopyTo(ref dst);
        return true;
    }

    public override bool ConcurrentWriter(ref SpanByte key, ref ShardInput input, ref SpanByte src, ref SpanByte dst, ref ShardOutput output, ref UpsertInfo upsertInfo)
    {
        // In place only when the size is unchanged; otherwise FASTER appends a new record (read-copy-update),
        // which keeps the record length in the log header truthful for scans and recovery.
        if (src.Length != dst.Length)
        {
            return false;
        }

        src.AsReadOnlySpan().CopyTo(dst.AsSpan());
        return true;
    }

    public override bool InitialUpdater(ref SpanByte key, ref ShardInput input, ref SpanByte value, ref ShardOutput output, ref RMWInfo rmwInfo)
    {
        var argument = input.Argument.AsReadOnlySpan();
        var length = input.Updater!.InitialLength(argument);
        if (value.Length > length)
        {
            value.ShrinkSerializedLength(length);
        }

        input.Updater.WriteInitial(argument, value.AsSpan()[..length]);
        return true;
    }

    public override bool CopyUpdater(ref SpanByte key, ref ShardInput input, ref SpanByte oldValue, ref SpanByte newValue, ref ShardOutput output, ref RMWInfo rmwInfo)
    {
        var argument = input.Argument.AsReadOnlySpan();
        var current = oldValue.AsReadOnlySpan();
        var length = input.Updater!.UpdatedLength(current, argument);
        if (newValue.Length > length)
        {
            newValue.ShrinkSerializedLength(length);
        }

        input.Updater.WriteUpdated(current, argument, newValue.AsSpan()[..length]);
        return true;
    }

    // Always read-copy-update: the updater's contract is that source and destination never overlap.
    public override bool InPlaceUpdater(ref SpanByte key, ref ShardInput input, ref SpanByte value, ref ShardOutput output, ref RMWInfo rmwInfo) => false;

    private static void Deliver(ref SpanByte value, ref ShardOutput dst)
    {
        var outcome = dst.Outcome;
        outcome->Found = true;
        outcome->Length = value.Length;
        if (value.Length <= dst.Capacity)
        {
            value.AsReadOnlySpan().CopyTo(new Span<byte>(dst.Destination, dst.Capacity));
        }
    }
}
