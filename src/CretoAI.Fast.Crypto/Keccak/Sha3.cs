using CretoAI.Fast.Core;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// SHA3-256 (FIPS 202) on this project's Keccak sponge. Not the platform's SHA3_256: on Linux that
/// is OpenSSL, and the first call loads libssl and libcrypto (dlopen, relocations, configuration),
/// about 10 ms and several hundred page faults at daemon start-up for a few hashes of small inputs
/// (docs/benchmarks.md, "Start-up and idle memory"). The sponge needs no native code and no state
/// outside the caller's stack.
/// </summary>
public static class Sha3
{
    public static Hash32 Hash256(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Hash32.Size];
        Hash256(data, digest);
        return new Hash32(digest);
    }

    /// <summary>Writes the 32-byte digest of <paramref name="data"/> to the start of <paramref name="digest"/>.</summary>
    public static void Hash256(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        if (digest.Length < Hash32.Size)
        {
            throw new ArgumentException($"A SHA3-256 digest needs {Hash32.Size} bytes.", nameof(digest));
        }

        var sponge = KeccakSponge.Sha3(Hash32.Size);
        sponge.Absorb(data);
        sponge.Squeeze(digest[..Hash32.Size]);
    }

    /// <summary>An incremental SHA3-256 over pieces appended one after another (same digest as hashing their concatenation).</summary>
    public static Sha3Hasher CreateHasher() => new(KeccakSponge.Sha3(Hash32.Size));
}
