using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// Four SHAKE sponges advanced together by <see cref="KeccakF1600x4"/>. ML-DSA only ever absorbs
/// one short seed (34 or 66 bytes, below the rate) per stream and then squeezes whole blocks, so
/// that is all this supports.
/// </summary>
internal struct KeccakSponge4
{
    private KeccakLanes4 _state;
    private int _rate;

    /// <summary>Absorbs one seed per stream (all the same length, shorter than the rate) and pads them as SHAKE.</summary>
    [SkipLocalsInit]
    public void Initialize(int rate, ReadOnlySpan<byte> seed0, ReadOnlySpan<byte> seed1, ReadOnlySpan<byte> seed2, ReadOnlySpan<byte> seed3)
    {
        Debug.Assert(seed0.Length < rate && seed1.Length == seed0.Length && seed2.Length == seed0.Length && seed3.Length == seed0.Length, "Seeds must be equal and shorter than the rate.");
        _rate = rate;
        Span<byte> block = stackalloc byte[4 * 200];
        block.Clear();
        Pad(block[..200], seed0, rate);
        Pad(block.Slice(200, 200), seed1, rate);
        Pad(block.Slice(400, 200), seed2, rate);
        Pad(block.Slice(600, 200), seed3, rate);
        Span<Vector256<ulong>> lanes = _state;
        for (var i = 0; i < 25; i++)
        {
            lanes[i] = Vector256.Create(
                BinaryPrimitives.ReadUInt64LittleEndian(block[(8 * i)..]),
                BinaryPrimitives.ReadUInt64LittleEndian(block[(200 + (8 * i))..]),
                BinaryPrimitives.ReadUInt64LittleEndian(block[(400 + (8 * i))..]),
                BinaryPrimitives.ReadUInt64LittleEndian(block[(600 + (8 * i))..]));
        }
    }

    private static void Pad(Span<byte> block, ReadOnlySpan<byte> seed, int rate)
    {
        seed.CopyTo(block);
        block[seed.Length] ^= 0x1F;
        block[rate - 1] ^= 0x80;
    }

    /// <summary>Permutes and writes the next rate-sized block of each stream (each output needs <c>rate</c> bytes).</summary>
    public void SqueezeBlock(Span<byte> out0, Span<byte> out1, Span<byte> out2, Span<byte> out3)
    {
        Span<Vector256<ulong>> lanes = _state;
        KeccakF1600x4.Permute(lanes);
        for (var i = 0; i < _rate / 8; i++)
        {
            var lane = lanes[i];
            BinaryPrimitives.WriteUInt64LittleEndian(out0[(8 * i)..], lane.GetElement(0));
            BinaryPrimitives.WriteUInt64LittleEndian(out1[(8 * i)..], lane.GetElement(1));
            BinaryPrimitives.WriteUInt64LittleEndian(out2[(8 * i)..], lane.GetElement(2));
            BinaryPrimitives.WriteUInt64LittleEndian(out3[(8 * i)..], lane.GetElement(3));
        }
    }

    public void Clear() => ((Span<Vector256<ulong>>)_state).Clear();
}
