using BenchmarkDotNet.Attributes;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Benchmarks.Crypto;

/// <summary>
/// ML-DSA-87 verification of one 256-byte message with a context: BouncyCastle (reference) against
/// ours cold (public key bytes only, expanded on the stack every call), warm (a prepared
/// <see cref="MLDsa87Verifier"/> and through <see cref="MLDsa87KeyCache"/>), and the same with the
/// SIMD paths switched off.
/// </summary>
[MemoryDiagnoser]
public class MLDsa87VerifyBenchmarks
{
    private readonly byte[] _publicKey = new byte[MLDsa87.PublicKeySize];
    private readonly byte[] _secretKey = new byte[MLDsa87.SecretKeySize];
    private readonly byte[] _message = new byte[256];
    private readonly byte[] _context = "cretoai-fast/bench"u8.ToArray();
    private readonly byte[] _signature = new byte[MLDsa87.SignatureSize];
    private readonly MLDsa87KeyCache _cache = new();
    private MLDsa87Verifier _verifier = null!;

    [GlobalSetup]
    public void Setup()
    {
        var seed = new byte[32];
        new Random(87).NextBytes(seed);
        new Random(88).NextBytes(_message);
        MLDsa87.GenerateKeyPair(seed, _publicKey, _secretKey);
        MLDsa87.Sign(_secretKey, _message, _context, _signature);
        _verifier = new MLDsa87Verifier(_publicKey);

        // The ratios only mean something if every contender accepts the same signature.
        if (!BouncyCastle() || !OursCold() || !OursWarm() || !OursWarmThroughCache() || !OursColdScalar() || !OursWarmScalar())
        {
            throw new InvalidOperationException("A verifier rejected a valid signature.");
        }
    }

    [Benchmark(Baseline = true)]
    public bool BouncyCastle() => BouncyCastleMLDsa87.Instance.Verify(_publicKey, _message, _context, _signature);

    [Benchmark]
    public bool OursCold() => MLDsa87.Verify(_publicKey, _message, _context, _signature);

    [Benchmark]
    public bool OursWarm() => _verifier.Verify(_message, _context, _signature);

    [Benchmark]
    public bool OursWarmThroughCache() => _cache.Verify(_publicKey, _message, _context, _signature);

    [Benchmark]
    public bool OursColdScalar()
    {
        SimdSwitch.ForceScalar = true;
        try
        {
            return MLDsa87.Verify(_publicKey, _message, _context, _signature);
        }
        finally
        {
            SimdSwitch.ForceScalar = false;
        }
    }

    [Benchmark]
    public bool OursWarmScalar()
    {
        SimdSwitch.ForceScalar = true;
        try
        {
            return _verifier.Verify(_message, _context, _signature);
        }
        finally
        {
            SimdSwitch.ForceScalar = false;
        }
    }
}
