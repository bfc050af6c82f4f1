using System.Buffers.Binary;
using CretoAI.Fast.Core;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Reputation.Stake;

/// <summary>
/// The ids of every stake account in ascending byte order, written once at genesis (accounts are
/// never created later) in pages under <see cref="StateNamespace.StakeLedger"/> numbers 1, 2, ...
/// <para>
/// Page layout (little-endian), version 1, 3 + 32 × N bytes: [0] version = 1; [1..3) N u16; then N
/// ids. Every page but the last holds <see cref="PageSize"/> ids, so a page stays under 1 KiB (the
/// store reads such values without renting a buffer) and the count in the ledger says how many pages.
/// </para>
/// </summary>
internal static class ValidatorDirectory
{
    public const int PageSize = 30;

    private const string What = "validator directory";
    private const int HeaderSize = 3;
    private const int MaxPageBytes = HeaderSize + (Hash32.Size * PageSize);

    /// <summary>Orders ids by their bytes, the order every replica lists them in.</summary>
    public static int Compare(Hash32 a, Hash32 b)
    {
        Span<byte> x = stackalloc byte[Hash32.Size];
        Span<byte> y = stackalloc byte[Hash32.Size];
        a.CopyTo(x);
        b.CopyTo(y);
        return x.SequenceCompareTo(y);
    }

    public static void Save(IReplicatedState state, ReadOnlySpan<Hash32> sortedIds)
    {
        var page = new byte[MaxPageBytes];
        for (var start = 0; start < sortedIds.Length; start += PageSize)
        {
            var ids = sortedIds.Slice(start, Math.Min(PageSize, sortedIds.Length - start));
            page[0] = StakeStateIo.RecordVersion;
            BinaryPrimitives.WriteUInt16LittleEndian(page.AsSpan(1), (ushort)ids.Length);
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i].CopyTo(page.AsSpan(HeaderSize + (Hash32.Size * i)));
            }

            state.Write(KeyOf(start / PageSize), page.AsSpan(0, HeaderSize + (Hash32.Size * ids.Length)));
        }
    }

    /// <exception cref="CretoAI.Fast.Storage.StorageException">A page is missing, damaged, or the ids are not strictly ascending.</exception>
    public static Hash32[] Load(IReplicatedState state, int count)
    {
        var ids = new Hash32[count];
        Span<byte> page = stackalloc byte[MaxPageBytes];
        for (var start = 0; start < count; start += PageSize)
        {
            var expected = Math.Min(PageSize, count - start);
            if (!StakeStateIo.TryRead(state, KeyOf(start / PageSize), page, What, out var length))
            {
                throw StakeStateIo.Corrupt(What, $"page {start / PageSize} of {count} accounts is missing");
            }

            var record = page[..length];
            StakeStateIo.CheckHeader(record, HeaderSize + (Hash32.Size * expected), What);
            if (BinaryPrimitives.ReadUInt16LittleEndian(record[1..]) != expected)
            {
                throw StakeStateIo.Corrupt(What, $"page {start / PageSize} counts {BinaryPrimitives.ReadUInt16LittleEndian(record[1..])} ids, expected {expected}");
            }

            for (var i = 0; i < expected; i++)
            {
                var id = new Hash32(record.Slice(HeaderSize + (Hash32.Size * i), Hash32.Size));
                if (start + i > 0 && Compare(ids[start + i - 1], id) >= 0)
                {
                    throw StakeStateIo.Corrupt(What, "ids are not strictly ascending");
                }

                ids[start + i] = id;
            }
        }

        return ids;
    }

    private static StateKey KeyOf(int page) => StateKey.For(StateNamespace.StakeLedger, 1 + (ulong)page);
}
