using System.Buffers.Binary;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Reputation.Stake;

/// <summary>
/// Chain-wide stake totals, stored under <see cref="StateNamespace.StakeLedger"/> number 0; its
/// presence means genesis is done.
/// <para>
/// Layout (little-endian), version 1, 21 bytes: [0] version = 1; [1..9) total supply u64 (fixed at
/// genesis); [9..17) slash pool u64; [17..21) account count u32.
/// </para>
/// </summary>
internal readonly record struct StakeLedgerRecord(ulong Supply, ulong Pool, uint AccountCount)
{
    public const int EncodedSize = 21;

    private const string What = "stake ledger";

    public static StateKey Key { get; } = StateKey.For(StateNamespace.StakeLedger, 0);

    public static bool TryLoad(IReplicatedState state, out StakeLedgerRecord ledger)
    {
        Span<byte> buffer = stackalloc byte[EncodedSize + 1];
        // One spare byte: an overlong record is then caught by the length check.
        if (!StakeStateIo.TryRead(state, Key, buffer, What, out var length))
        {
            ledger = default;
            return false;
        }

        var record = buffer[..length];
        StakeStateIo.CheckHeader(record, EncodedSize, What);
        ledger = new StakeLedgerRecord(
            BinaryPrimitives.ReadUInt64LittleEndian(record[1..]),
            BinaryPrimitives.ReadUInt64LittleEndian(record[9..]),
            BinaryPrimitives.ReadUInt32LittleEndian(record[17..]));
        if (ledger.Pool > ledger.Supply)
        {
            throw StakeStateIo.Corrupt(What, $"slash pool {ledger.Pool} above the supply {ledger.Supply}");
        }

        return true;
    }

    public void Save(IReplicatedState state)
    {
        Span<byte> encoded = stackalloc byte[EncodedSize];
        encoded[0] = StakeStateIo.RecordVersion;
        BinaryPrimitives.WriteUInt64LittleEndian(encoded[1..], Supply);
        BinaryPrimitives.WriteUInt64LittleEndian(encoded[9..], Pool);
        BinaryPrimitives.WriteUInt32LittleEndian(encoded[17..], AccountCount);
        state.Write(Key, encoded);
    }
}
