using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CretoAI.Fast.Storage;

/// <summary>
/// CRC-32C (Castagnoli) over WAL records and checkpoint manifests. Storage keeps its own copy instead of
/// using the Wire codec's so the layers stay independent; <see cref="BitOperations.Crc32C(uint, ulong)"/>
/// uses the SSE4.2 / ARMv8 instruction when present and a software loop otherwise.
/// Check value of ASCII "123456789" is 0xE3069283.
/// </summary>
public static class RecordChecksum
{
    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(0xFFFF_FFFFu, data);

    /// <summary>The CRC-32C of <paramref name="first"/> followed by <paramref name="second"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second) =>
        ~Append(Append(0xFFFF_FFFFu, first), second);

    private static uint Append(uint state, ReadOnlySpan<byte> data)
    {
        ref var start = ref MemoryMarshal.GetReference(data);
        var offset = 0;
        for (; data.Length - offset >= 8; offset += 8)
        {
            var word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, offset));
            state = BitOperations.Crc32C(state, BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word));
        }

        for (; offset < data.Length; offset++)
        {
            state = BitOperations.Crc32C(state, Unsafe.Add(ref start, offset));
        }

        return state;
    }
}
