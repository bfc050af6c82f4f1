namespace CretoAI.Fast.Crypto;

/// <summary>The pre-hash functions HashML-DSA accepts (FIPS 204 section 5.4), all those NIST's ACVP vectors use.</summary>
public enum MLDsaPreHash
{
    Sha2_224,
    Sha2_256,
    Sha2_384,
    Sha2_512,
    Sha2_512_224,
    Sha2_512_256,
    Sha3_224,
    Sha3_256,
    Sha3_384,
    Sha3_512,
    Shake128,
    Shake256,
}
