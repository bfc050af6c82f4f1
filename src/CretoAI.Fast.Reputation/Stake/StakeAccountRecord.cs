using System.Buffers.Binary;
using CretoAI.Fast.Core;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Reputation.Stake;

/// <summary>
/// A validator's stake account as stored under <see cref="StateNamespace.StakeAccount"/>, decoded into
/// a mutable working copy: an operation decodes, changes the copy and writes it back only when applied.
/// <para>
/// Layout (little-endian), version 1, 35 + 16 × (L + U) bytes:
/// [0] version = 1; [1..9) nonce u64; [9..17) liquid u64; [17..25) unlocked bonded u64 (bond lots past
/// their lock, folded together); [25..33) slashed total u64; [33] L = locked bond lots u8; [34] U =
/// unbonding entries u8; then L lots and U entries, each amount u64 + since-ms u64, oldest first.
/// Every lot and entry has a non-zero amount; L and U are at most <see cref="StakeRules.MaxPendingEntries"/>.
/// </para>
/// </summary>
internal sealed class StakeAccountRecord
{
    private const string What = "stake account";
    private const int HeaderSize = 35;
    private const int LotSize = 16;

    public ulong Nonce { get; set; }

    public ulong Liquid { get; set; }

    /// <summary>Bonded units whose lock is over (genesis bonds start here).</summary>
    public ulong UnlockedBonded { get; set; }

    public ulong SlashedTotal { get; set; }

    /// <summary>Bond lots that were still locked when the account was last written, oldest first.</summary>
    public List<StakeLot> Lots { get; } = [];

    /// <summary>Unbonding entries not yet withdrawn, oldest first.</summary>
    public List<StakeLot> Unbondings { get; } = [];

    /// <summary>Bonded total, locked lots included. Checked: a total that overflows is a damaged record.</summary>
    public ulong BondedTotal => checked(UnlockedBonded + Sum(Lots));

    public ulong UnbondingTotal => Sum(Unbondings);

    public int EncodedSize => HeaderSize + (LotSize * (Lots.Count + Unbondings.Count));

    public static StateKey KeyOf(Hash32 validator) => StateKey.For(StateNamespace.StakeAccount, validator);

    public static int MaxEncodedSize(int maxPendingEntries) => HeaderSize + (2 * LotSize * maxPendingEntries);

    /// <summary>Units of bond lots still locked at <paramref name="nowMs"/>.</summary>
    public ulong LockedAt(ulong nowMs, ulong lockMs)
    {
        ulong locked = 0;
        foreach (var lot in Lots)
        {
            if (!lot.MaturedAt(nowMs, lockMs))
            {
                locked = checked(locked + lot.Amount);
            }
        }

        return locked;
    }

    /// <summary>Units of unbonding entries whose period is over at <paramref name="nowMs"/>.</summary>
    public ulong WithdrawableAt(ulong nowMs, ulong unbondingMs)
    {
        ulong matured = 0;
        foreach (var entry in Unbondings)
        {
            if (entry.MaturedAt(nowMs, unbondingMs))
            {
                matured = checked(matured + entry.Amount);
            }
        }

        return matured;
    }

    /// <summary>
    /// Moves every lot whose lock is over at <paramref name="nowMs"/> into <see cref="UnlockedBonded"/>,
    /// so the record only holds locked lots and their count stays bounded. The bonded total is unchanged.
    /// </summary>
    public void FoldUnlocked(ulong nowMs, ulong lockMs)
    {
        var kept = 0;
        for (var i = 0; i < Lots.Count; i++)
        {
            var lot = Lots[i];
            if (lot.MaturedAt(nowMs, lockMs))
            {
                UnlockedBonded = checked(UnlockedBonded + lot.Amount);
            }
            else
            {
                Lots[kept++] = lot;
            }
        }

        Lots.RemoveRange(kept, Lots.Count - kept);
    }

    /// <summary>Removes the unbonding entries matured at <paramref name="nowMs"/> and returns their sum.</summary>
    public ulong TakeMatured(ulong nowMs, ulong unbondingMs)
    {
        ulong taken = 0;
        var kept = 0;
        for (var i = 0; i < Unbondings.Count; i++)
        {
            var entry = Unbondings[i];
            if (entry.MaturedAt(nowMs, unbondingMs))
            {
                taken = checked(taken + entry.Amount);
            }
            else
            {
                Unbondings[kept++] = entry;
            }
        }

        Unbondings.RemoveRange(kept, Unbondings.Count - kept);
        return taken;
    }

    /// <summary>
    /// Adds <paramref name="amount"/> to the newest lot of <paramref name="lots"/> when it started at
    /// <paramref name="sinceMs"/> too (several operations in one block make one lot), else appends a lot.
    /// False when a new lot is needed and <paramref name="maxLots"/> are already there.
    /// </summary>
    public static bool TryAddLot(List<StakeLot> lots, ulong amount, ulong sinceMs, int maxLots)
    {
        if (lots.Count > 0 && lots[^1].SinceMs == sinceMs)
        {
            lots[^1] = lots[^1] with { Amount = checked(lots[^1].Amount + amount) };
            return true;
        }

        if (lots.Count >= maxLots)
        {
            return false;
        }

        lots.Add(new StakeLot(amount, sinceMs));
        return true;
    }

    /// <summary>
    /// Takes up to <paramref name="amount"/> from <paramref name="lots"/>, newest first, removing emptied
    /// lots; returns what is still to take.
    /// </summary>
    public static ulong TakeNewestFirst(List<StakeLot> lots, ulong amount)
    {
        for (var i = lots.Count - 1; i >= 0 && amount > 0; i--)
        {
            var lot = lots[i];
            if (lot.Amount <= amount)
            {
                amount -= lot.Amount;
                lots.RemoveAt(i);
            }
            else
            {
                lots[i] = lot with { Amount = lot.Amount - amount };
                amount = 0;
            }
        }

        return amount;
    }

    public void Encode(Span<byte> destination)
    {
        destination[0] = StakeStateIo.RecordVersion;
        BinaryPrimitives.WriteUInt64LittleEndian(destination[1..], Nonce);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[9..], Liquid);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[17..], UnlockedBonded);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[25..], SlashedTotal);
        destination[33] = checked((byte)Lots.Count);
        destination[34] = checked((byte)Unbondings.Count);
        var offset = HeaderSize;
        foreach (var lot in Lots)
        {
            WriteLot(destination[offset..], lot);
            offset += LotSize;
        }

        foreach (var entry in Unbondings)
        {
            WriteLot(destination[offset..], entry);
            offset += LotSize;
        }
    }

    /// <exception cref="StorageException">The record is damaged.</exception>
    public static StakeAccountRecord Decode(ReadOnlySpan<byte> source, int maxPendingEntries)
    {
        if (source.Length < HeaderSize)
        {
            throw StakeStateIo.Corrupt(What, $"{source.Length} bytes, shorter than the {HeaderSize}-byte header");
        }

        int lots = source[33];
        int unbondings = source[34];
        StakeStateIo.CheckHeader(source, HeaderSize + (LotSize * (lots + unbondings)), What);
        if (lots > maxPendingEntries || unbondings > maxPendingEntries)
        {
            throw StakeStateIo.Corrupt(What, $"{lots} locked lots and {unbondings} unbonding entries, at most {maxPendingEntries} of each allowed");
        }

        var record = new StakeAccountRecord
        {
            Nonce = BinaryPrimitives.ReadUInt64LittleEndian(source[1..]),
            Liquid = BinaryPrimitives.ReadUInt64LittleEndian(source[9..]),
            UnlockedBonded = BinaryPrimitives.ReadUInt64LittleEndian(source[17..]),
            SlashedTotal = BinaryPrimitives.ReadUInt64LittleEndian(source[25..]),
        };
        var offset = HeaderSize;
        for (var i = 0; i < lots + unbondings; i++, offset += LotSize)
        {
            var lot = new StakeLot(BinaryPrimitives.ReadUInt64LittleEndian(source[offset..]), BinaryPrimitives.ReadUInt64LittleEndian(source[(offset + 8)..]));
            if (lot.Amount == 0)
            {
                throw StakeStateIo.Corrupt(What, $"entry {i} has amount 0");
            }

            (i < lots ? record.Lots : record.Unbondings).Add(lot);
        }

        try
        {
            _ = checked(record.Liquid + record.BondedTotal + record.UnbondingTotal);
        }
        catch (OverflowException e)
        {
            throw new StorageException(StorageError.StateCorrupt, "The stake account record is damaged: its balances add up beyond 2^64.", e);
        }

        return record;
    }

    private static ulong Sum(List<StakeLot> lots)
    {
        ulong sum = 0;
        foreach (var lot in lots)
        {
            sum = checked(sum + lot.Amount);
        }

        return sum;
    }

    private static void WriteLot(Span<byte> destination, StakeLot lot)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, lot.Amount);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], lot.SinceMs);
    }
}
