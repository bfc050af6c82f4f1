namespace CretoAI.Fast.Crypto;

/// <summary>
/// Selects the scalar code paths even where AVX2 exists: set the environment variable
/// <c>CRETOAI_CRYPTO_SCALAR=1</c> before start, or <see cref="ForceScalar"/> from tests and
/// benchmarks. Both paths compute identical results; this exists to prove it and to measure the gain.
/// </summary>
public static class SimdSwitch
{
    public static bool ForceScalar { get; set; } = string.Equals(Environment.GetEnvironmentVariable("CRETOAI_CRYPTO_SCALAR"), "1", StringComparison.Ordinal);
}
