using BenchmarkDotNet.Attributes;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Benchmarks.Crypto;

/// <summary>
/// Verifying 64 signatures of 64 keys never seen before (a fresh agent key per transaction, as the
/// load generator sends), on one core, per signature. Reference: <see cref="MLDsa87.Verify"/> one
/// after another. Against it, the batch verifier with a new key cache each time, which hashes the
/// four keys of a group (tr = SHAKE256(pk, 64)) together in one AVX2 Keccak ×4.
/// </summary>
[MemoryDiagnoser]
public class MLDsa87ColdBatchBenchmarks
{
    private const int Items = 64;
    private readonly MLDsa87BatchItem[] _items = new MLDsa87BatchItem[Items];
    private readonly bool[] _results = new bool[Items];

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < Items; i++)
        {
            var seed = new byte[32];
            seed[0] = (byte)i;
            seed[1] = 0xC0;
            var publicKey = new byte[MLDsa87.PublicKeySize];
            var secretKey = new byte[MLDsa87.SecretKeySize];
            MLDsa87.GenerateKeyPair(seed, publicKey, secretKey);
            var message = BitConverter.GetBytes(i);
            var signature = new byte[MLDsa87.SignatureSize];
            MLDsa87.Sign(secretKey, message, "tx"u8, signature);
            _items[i] = new MLDsa87BatchItem(publicKey, message, "tx"u8.ToArray(), signature);
        }

        if (OneByOne() != Items || BatchOneCore() != Items)
        {
            throw new InvalidOperationException("A valid signature was rejected.");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    public int OneByOne()
    {
        var valid = 0;
        foreach (var item in _items)
        {
            valid += MLDsa87.Verify(item.PublicKey.Span, item.Message.Span, item.Context.Span, item.Signature.Span) ? 1 : 0;
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = Items)]
    public int BatchOneCore()
    {
        new MLDsa87BatchVerifier(new MLDsa87KeyCache(), maxDegreeOfParallelism: 1).VerifyAll(_items, _results);
        var valid = 0;
        foreach (var result in _results)
        {
            valid += result ? 1 : 0;
        }

        return valid;
    }
}
