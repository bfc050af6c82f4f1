using CretoAI.Fast.Core;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// Incremental SHA3-256 (from <see cref="Sha3.CreateHasher"/>): <see cref="Append"/> pieces, then
/// <see cref="Finish"/> once. A mutable struct holding the 200-byte sponge state: keep it in a local
/// and pass it by ref; a copy continues independently.
/// </summary>
public struct Sha3Hasher
{
    private KeccakSponge _sponge;
    private bool _open;

    internal Sha3Hasher(KeccakSponge sponge)
    {
        _sponge = sponge;
        _open = true;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        ThrowIfNotOpen();
        _sponge.Absorb(data);
    }

    /// <summary>The digest of everything appended; the hasher cannot be used afterwards.</summary>
    public Hash32 Finish()
    {
        ThrowIfNotOpen();
        _open = false;
        Span<byte> digest = stackalloc byte[Hash32.Size];
        _sponge.Squeeze(digest);
        return new Hash32(digest);
    }

    private readonly void ThrowIfNotOpen()
    {
        if (!_open)
        {
            throw new InvalidOperationException("Use a hasher from Sha3.CreateHasher, and finish it only once.");
        }
    }
}
