using System.Buffers.Binary;
using CretoAI.Fast.Core;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Reputation.Stake;

/// <summary>
/// Marks a piece of evidence as used, under <see cref="StateNamespace.SlashedEvidence"/> keyed by the
/// evidence id, so a replay cannot slash twice. Never removed.
/// <para>
/// Layout (little-endian), version 1, 58 bytes: [0] version = 1; [1..33) validator id; [33] offence
/// u8; [34..42) height u64; [42..50) timestamp-ms u64; [50..58) amount slashed u64.
/// </para>
/// </summary>
internal readonly record struct SlashEvidenceRecord(Hash32 Validator, Offence Offence, ulong Height, ulong TimestampMs, ulong Amount)
{
    public const int EncodedSize = 58;

    private const string What = "slashed evidence";

    public static StateKey KeyOf(Hash32 evidenceId) => StateKey.For(StateNamespace.SlashedEvidence, evidenceId);

    public static bool TryLoad(IReplicatedState state, Hash32 evidenceId, out SlashEvidenceRecord evidence)
    {
        Span<byte> buffer = stackalloc byte[EncodedSize + 1];
        // One spare byte: an overlong record is then caught by the length check.
        if (!StakeStateIo.TryRead(state, KeyOf(evidenceId), buffer, What, out var length))
        {
            evidence = default;
            return false;
        }

        var record = buffer[..length];
        StakeStateIo.CheckHeader(record, EncodedSize, What);
        var offence = (Offence)record[33];
        if (offence is < Offence.Equivocation or > Offence.MissedVote)
        {
            throw StakeStateIo.Corrupt(What, $"offence {record[33]}");
        }

        evidence = new SlashEvidenceRecord(
            new Hash32(record.Slice(1, Hash32.Size)),
            offence,
            BinaryPrimitives.ReadUInt64LittleEndian(record[34..]),
            BinaryPrimitives.ReadUInt64LittleEndian(record[42..]),
            BinaryPrimitives.ReadUInt64LittleEndian(record[50..]));
        return true;
    }

    public void Save(IReplicatedState state, Hash32 evidenceId)
    {
        Span<byte> encoded = stackalloc byte[EncodedSize];
        encoded[0] = StakeStateIo.RecordVersion;
        Validator.CopyTo(encoded[1..]);
        encoded[33] = (byte)Offence;
        BinaryPrimitives.WriteUInt64LittleEndian(encoded[34..], Height);
        BinaryPrimitives.WriteUInt64LittleEndian(encoded[42..], TimestampMs);
        BinaryPrimitives.WriteUInt64LittleEndian(encoded[50..], Amount);
        state.Write(KeyOf(evidenceId), encoded);
    }
}
