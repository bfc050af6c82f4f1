using System.Buffers.Binary;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// An incremental Keccak sponge (FIPS 202): SHAKE128, SHAKE256 and the SHA3 hashes, absorbing and
/// squeezing in pieces without allocating. A mutable struct: keep it in a local and pass it by ref.
/// </summary>
internal struct KeccakSponge
{
    public const int Shake128Rate = 168;
    public const int Shake256Rate = 136;
    private const byte ShakePadding = 0x1F;
    private const byte Sha3Padding = 0x06;

    private KeccakLanes _state;
    private readonly int _rate;
    private readonly byte _padding;
    private int _offset;
    private bool _squeezing;

    private KeccakSponge(int rate, byte padding)
    {
        Debug.Assert(BitConverter.IsLittleEndian, "Lanes are read as little-endian bytes.");
        _rate = rate;
        _padding = padding;
    }

    public static KeccakSponge Shake128() => new(Shake128Rate, ShakePadding);

    public static KeccakSponge Shake256() => new(Shake256Rate, ShakePadding);

    /// <summary>SHA3 with a digest of <paramref name="digestBytes"/> bytes (28, 32, 48 or 64).</summary>
    public static KeccakSponge Sha3(int digestBytes) => new(200 - (2 * digestBytes), Sha3Padding);

    [UnscopedRef]
    private Span<byte> Bytes => MemoryMarshal.AsBytes((Span<ulong>)_state);

    public void Absorb(ReadOnlySpan<byte> data)
    {
        Debug.Assert(!_squeezing, "Absorb after squeeze.");
        while (!data.IsEmpty)
        {
            if (_offset == 0 && data.Length >= _rate)
            {
                Span<ulong> lanes = _state;
                for (var i = 0; i < _rate / 8; i++)
                {
                    lanes[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(data[(8 * i)..]);
                }

                KeccakF1600.Permute(lanes);
                data = data[_rate..];
                continue;
            }

            var take = Math.Min(_rate - _offset, data.Length);
            var bytes = Bytes.Slice(_offset, take);
            for (var i = 0; i < take; i++)
            {
                bytes[i] ^= data[i];
            }

            _offset += take;
            data = data[take..];
            if (_offset == _rate)
            {
                KeccakF1600.Permute(_state);
                _offset = 0;
            }
        }
    }

    public void Squeeze(Span<byte> output)
    {
        if (!_squeezing)
        {
            var bytes = Bytes;
            bytes[_offset] ^= _padding;
            bytes[_rate - 1] ^= 0x80;
            KeccakF1600.Permute(_state);
            _offset = 0;
            _squeezing = true;
        }

        while (!output.IsEmpty)
        {
            if (_offset == _rate)
            {
                KeccakF1600.Permute(_state);
                _offset = 0;
            }

            var take = Math.Min(_rate - _offset, output.Length);
            Bytes.Slice(_offset, take).CopyTo(output);
            _offset += take;
            output = output[take..];
        }
    }

    /// <summary>Overwrites the state (used after absorbing secret data).</summary>
    public void Clear()
    {
        ((Span<ulong>)_state).Clear();
        _offset = 0;
        _squeezing = false;
    }

    /// <summary>One-shot SHAKE256 of the concatenation of up to three inputs.</summary>
    public static void Shake256(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, Span<byte> output)
    {
        var sponge = Shake256();
        sponge.Absorb(a);
        sponge.Absorb(b);
        sponge.Absorb(c);
        sponge.Squeeze(output);
        sponge.Clear();
    }
}
