using BenchmarkDotNet.Attributes;
using CretoAI.Fast.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace CretoAI.Fast.Benchmarks.Crypto;

/// <summary>
/// ML-DSA-87 signing (deterministic, so both sides do the same rejection-loop iterations and
/// produce the same bytes) and key generation from a seed: BouncyCastle against ours.
/// </summary>
[MemoryDiagnoser]
public class MLDsa87SignBenchmarks
{
    private readonly byte[] _seed = new byte[32];
    private readonly byte[] _publicKey = new byte[MLDsa87.PublicKeySize];
    private readonly byte[] _secretKey = new byte[MLDsa87.SecretKeySize];
    private readonly byte[] _message = new byte[256];
    private readonly byte[] _context = "cretoai-fast/bench"u8.ToArray();
    private readonly byte[] _signature = new byte[MLDsa87.SignatureSize];
    private MLDsaPrivateKeyParameters _bcKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(87).NextBytes(_seed);
        new Random(88).NextBytes(_message);
        MLDsa87.GenerateKeyPair(_seed, _publicKey, _secretKey);
        _bcKey = MLDsaPrivateKeyParameters.FromSeed(MLDsaParameters.ml_dsa_87, _seed);
        var theirs = BouncyCastleSign();
        OursSign();
        if (!theirs.AsSpan().SequenceEqual(_signature) || !_bcKey.GetPublicKeyEncoded().AsSpan().SequenceEqual(_publicKey))
        {
            throw new InvalidOperationException("BouncyCastle and ours disagree on the key or the deterministic signature.");
        }
    }

    [Benchmark(Baseline = true)]
    public byte[] BouncyCastleSign()
    {
        var signer = new MLDsaSigner(MLDsaParameters.ml_dsa_87, deterministic: true);
        signer.Init(true, new ParametersWithContext(_bcKey, _context));
        signer.BlockUpdate(_message);
        return signer.GenerateSignature();
    }

    [Benchmark]
    public int OursSign() => MLDsa87.Sign(_secretKey, _message, _context, _signature, deterministic: true);

    [Benchmark]
    public byte[] BouncyCastleKeyGen() => MLDsaPrivateKeyParameters.FromSeed(MLDsaParameters.ml_dsa_87, _seed).GetPublicKeyEncoded();

    [Benchmark]
    public byte OursKeyGen()
    {
        MLDsa87.GenerateKeyPair(_seed, _publicKey, _secretKey);
        return _publicKey[0];
    }
}
