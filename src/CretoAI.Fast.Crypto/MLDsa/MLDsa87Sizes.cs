namespace CretoAI.Fast.Crypto;

/// <summary>Byte sizes of ML-DSA-87 objects (FIPS 204, table 2).</summary>
public static class MLDsa87Sizes
{
    public const int PublicKey = 2592;
    public const int Signature = 4627;
    public const int Seed = 32;

    /// <summary>ML-DSA context strings are 0–255 bytes (FIPS 204, algorithm 2).</summary>
    public const int MaxContext = 255;
}
