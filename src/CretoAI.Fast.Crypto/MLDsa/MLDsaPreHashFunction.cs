using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// Digest and DER-encoded OID of each <see cref="MLDsaPreHash"/> (NIST hash algorithm arc
/// 2.16.840.1.101.3.4.2.x). SHA3/SHAKE run on our Keccak; SHA-224 and SHA-512/t come from
/// BouncyCastle because .NET has none; SHA-256/384/512 from .NET.
/// </summary>
internal static class MLDsaPreHashFunction
{
    public const int OidBytes = 11;
    public const int MaxDigestBytes = 64;

    public static int DigestBytes(MLDsaPreHash hash) => hash switch
    {
        MLDsaPreHash.Sha2_224 or MLDsaPreHash.Sha2_512_224 or MLDsaPreHash.Sha3_224 => 28,
        MLDsaPreHash.Sha2_256 or MLDsaPreHash.Sha2_512_256 or MLDsaPreHash.Sha3_256 or MLDsaPreHash.Shake128 => 32,
        MLDsaPreHash.Sha2_384 or MLDsaPreHash.Sha3_384 => 48,
        MLDsaPreHash.Sha2_512 or MLDsaPreHash.Sha3_512 or MLDsaPreHash.Shake256 => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(hash), hash, "Unknown pre-hash function."),
    };

    /// <summary>Writes the 11-byte DER OID: 06 09 60 86 48 01 65 03 04 02 xx.</summary>
    public static void WriteOid(MLDsaPreHash hash, Span<byte> oid)
    {
        byte last = hash switch
        {
            MLDsaPreHash.Sha2_256 => 0x01,
            MLDsaPreHash.Sha2_384 => 0x02,
            MLDsaPreHash.Sha2_512 => 0x03,
            MLDsaPreHash.Sha2_224 => 0x04,
            MLDsaPreHash.Sha2_512_224 => 0x05,
            MLDsaPreHash.Sha2_512_256 => 0x06,
            MLDsaPreHash.Sha3_224 => 0x07,
            MLDsaPreHash.Sha3_256 => 0x08,
            MLDsaPreHash.Sha3_384 => 0x09,
            MLDsaPreHash.Sha3_512 => 0x0A,
            MLDsaPreHash.Shake128 => 0x0B,
            MLDsaPreHash.Shake256 => 0x0C,
            _ => throw new ArgumentOutOfRangeException(nameof(hash), hash, "Unknown pre-hash function."),
        };
        ReadOnlySpan<byte> prefix = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02];
        prefix.CopyTo(oid);
        oid[10] = last;
    }

    /// <summary>PH(message) into <paramref name="digest"/>; returns its length.</summary>
    public static int Compute(MLDsaPreHash hash, ReadOnlySpan<byte> message, Span<byte> digest)
    {
        var length = DigestBytes(hash);
        var output = digest[..length];
        switch (hash)
        {
            case MLDsaPreHash.Sha2_256:
                SHA256.HashData(message, output);
                break;
            case MLDsaPreHash.Sha2_384:
                SHA384.HashData(message, output);
                break;
            case MLDsaPreHash.Sha2_512:
                SHA512.HashData(message, output);
                break;
            case MLDsaPreHash.Sha2_224:
                {
                    var bc = new Sha224Digest();
                    bc.BlockUpdate(message);
                    bc.DoFinal(output);
                    break;
                }

            case MLDsaPreHash.Sha2_512_224:
            case MLDsaPreHash.Sha2_512_256:
                {
                    var bc = new Sha512tDigest(8 * length);
                    bc.BlockUpdate(message);
                    bc.DoFinal(output);
                    break;
                }

            case MLDsaPreHash.Shake128:
            case MLDsaPreHash.Shake256:
                {
                    var sponge = hash == MLDsaPreHash.Shake128 ? KeccakSponge.Shake128() : KeccakSponge.Shake256();
                    sponge.Absorb(message);
                    sponge.Squeeze(output);
                    break;
                }

            default:
                {
                    var sponge = KeccakSponge.Sha3(length);
                    sponge.Absorb(message);
                    sponge.Squeeze(output);
                    break;
                }
        }

        return length;
    }
}
