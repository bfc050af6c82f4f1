using System.Security.Cryptography;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Crypto;

/// <summary>SHA3-256 (FIPS 202) through the platform's implementation.</summary>
public static class Sha3
{
    public static Hash32 Hash256(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Hash32.Size];
        SHA3_256.HashData(data, digest);
        return new Hash32(digest);
    }

    public static void Hash256(ReadOnlySpan<byte> data, Span<byte> digest) => SHA3_256.HashData(data, digest);
}
