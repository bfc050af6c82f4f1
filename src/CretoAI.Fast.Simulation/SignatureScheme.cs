namespace CretoAI.Fast.Simulation;

public enum SignatureScheme
{
    /// <summary>Keyed SHA3 stand-in: cheap enough for thousands of seeds.</summary>
    Fake = 0,

    /// <summary>Real ML-DSA-87 (BouncyCastle) signing and verification.</summary>
    MLDsa87 = 1,
}
