using System.Buffers.Binary;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Reputation.Ledger;

/// <summary>
/// The reports of one offence that signed evidence cannot prove (invalid block, invalid signature,
/// double-sign of a commit), kept until validators holding a quorum of weight have reported it.
/// Record (<see cref="StateNamespace.OffenceReports"/>, keyed by <see cref="ReportId"/>): version 1,
/// confirmed u8, offence u8, offender (genesis index) i32, reporter count u16, then one bit per genesis
/// validator that reported it.
/// </summary>
internal sealed class OffenceReports(IReplicatedState state, int candidates)
{
    private const byte Version = 1;
    private const int HeaderSize = 1 + 1 + 1 + 4 + 2;

    private readonly int _size = HeaderSize + ((candidates + 7) / 8);

    /// <summary>The id of a report: what, by whom, where; every reporter of the same offence names the same id.</summary>
    public static Hash32 ReportId(Hash32 offender, Offence offence, ulong height)
    {
        Span<byte> bytes = stackalloc byte[22 + Hash32.Size + 1 + 8];
        "cretoai-fast/report/v1"u8.CopyTo(bytes);
        offender.CopyTo(bytes[22..]);
        bytes[54] = (byte)offence;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[55..], height);
        return Sha3.Hash256(bytes);
    }

    /// <summary>Adds <paramref name="reporter"/>'s report; returns the reporters so far, or null (and writes nothing) when it adds nothing.</summary>
    public List<int>? Add(Hash32 reportId, Offence offence, int offender, int reporter, out string? refusal)
    {
        var key = StateKey.For(StateNamespace.OffenceReports, reportId);
        var bytes = new byte[_size];
        if (state.TryRead(key, bytes, out var length))
        {
            if (length != _size || bytes[0] != Version)
            {
                throw new StorageException(StorageError.StateCorrupt, $"The report record {reportId.ToShortString()} is damaged ({length} bytes, version {bytes[0]}).");
            }

            if (bytes[1] != 0)
            {
                refusal = "this offence is already confirmed";
                return null;
            }

            if ((bytes[HeaderSize + (reporter / 8)] & (1 << (reporter % 8))) != 0)
            {
                refusal = "this validator already reported this offence";
                return null;
            }
        }
        else
        {
            bytes[0] = Version;
            bytes[2] = (byte)offence;
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(3), offender);
        }

        bytes[HeaderSize + (reporter / 8)] |= (byte)(1 << (reporter % 8));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(7), (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(7)) + 1));
        state.Write(key, bytes);
        refusal = null;
        var reporters = new List<int>();
        for (var i = 0; i < candidates; i++)
        {
            if ((bytes[HeaderSize + (i / 8)] & (1 << (i % 8))) != 0)
            {
                reporters.Add(i);
            }
        }

        return reporters;
    }

    /// <summary>Marks the report confirmed: later reports of it are refused.</summary>
    public void Confirm(Hash32 reportId)
    {
        var key = StateKey.For(StateNamespace.OffenceReports, reportId);
        var bytes = new byte[_size];
        if (!state.TryRead(key, bytes, out _))
        {
            throw new InvalidOperationException($"Report {reportId.ToShortString()} has no record to confirm.");
        }

        bytes[1] = 1;
        state.Write(key, bytes);
    }
}
