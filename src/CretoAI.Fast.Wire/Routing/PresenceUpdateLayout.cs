using System.Buffers.Binary;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Wire.Routing;

/// <summary>
/// Payload of <see cref="MessageType.PresenceUpdate"/> (0x0312): u32 count N (1..4,096), then N
/// entries of agent id (32 bytes) ‖ present (u8: 1 logged in at the sending node, 0 logged out).
/// </summary>
public static class PresenceUpdateLayout
{
    public const int MaxEntries = 4096;

    public const int EntryLength = Hash32.Size + 1;

    public static byte[] Write(IReadOnlyList<(Hash32 Agent, bool Present)> entries, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var bytes = new byte[4 + (count * EntryLength)];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)count);
        for (var i = 0; i < count; i++)
        {
            var (agent, present) = entries[start + i];
            var at = bytes.AsSpan(4 + (i * EntryLength));
            agent.CopyTo(at);
            at[Hash32.Size] = present ? (byte)1 : (byte)0;
        }

        return bytes;
    }

    public static bool TryReadCount(ReadOnlySpan<byte> payload, out int count)
    {
        count = 0;
        if (payload.Length < 4)
        {
            return false;
        }

        var n = BinaryPrimitives.ReadUInt32LittleEndian(payload);
        if (n is 0 or > MaxEntries || payload.Length != 4 + ((int)n * EntryLength))
        {
            return false;
        }

        count = (int)n;
        return true;
    }

    /// <summary>An entry; false for a present byte other than 0 or 1.</summary>
    public static bool TryReadEntry(ReadOnlySpan<byte> payload, int index, out Hash32 agent, out bool present)
    {
        var at = payload.Slice(4 + (index * EntryLength), EntryLength);
        agent = new Hash32(at[..Hash32.Size]);
        present = at[Hash32.Size] == 1;
        return at[Hash32.Size] <= 1;
    }
}
