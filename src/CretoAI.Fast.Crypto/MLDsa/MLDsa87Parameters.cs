namespace CretoAI.Fast.Crypto;

/// <summary>ML-DSA-87 parameters (FIPS 204 table 1) and the byte sizes derived from them (table 2).</summary>
internal static class MLDsa87Parameters
{
    public const int N = MLDsaPolynomial.N;
    public const int Q = MLDsaPolynomial.Q;
    public const int D = 13;
    public const int Tau = 60;
    public const int Gamma1 = 1 << 19;
    public const int Gamma2 = (Q - 1) / 32;
    public const int K = 8;
    public const int L = 7;
    public const int Eta = 2;
    public const int Beta = Tau * Eta;
    public const int Omega = 75;

    /// <summary>λ/4 bytes: the commitment hash c̃.</summary>
    public const int CTildeBytes = 64;
    public const int SeedBytes = 32;
    public const int TrBytes = 64;
    public const int MuBytes = 64;
    public const int T1PackedBytes = 320;
    public const int EtaPackedBytes = 96;
    public const int T0PackedBytes = 416;
    public const int ZPackedBytes = 640;
    public const int W1PackedBytes = 128;

    public const int PublicKeyBytes = SeedBytes + (K * T1PackedBytes);
    public const int SecretKeyBytes = (2 * SeedBytes) + TrBytes + ((L + K) * EtaPackedBytes) + (K * T0PackedBytes);
    public const int SignatureBytes = CTildeBytes + (L * ZPackedBytes) + Omega + K;
}
