using BenchmarkDotNet.Attributes;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Benchmarks.Crypto;

/// <summary>
/// Batch verification of 64 signatures from 16 signers (keys warm in the cache, as for a block
/// or a quorum certificate from known validators): one worker against all cores.
/// </summary>
[MemoryDiagnoser]
public class MLDsa87BatchBenchmarks
{
    private const int Signers = 16;
    private const int Items = 64;
    private readonly MLDsa87BatchItem[] _items = new MLDsa87BatchItem[Items];
    private readonly bool[] _results = new bool[Items];
    private readonly MLDsa87KeyCache _cache = new();
    private MLDsa87BatchVerifier _oneCore = null!;
    private MLDsa87BatchVerifier _allCores = null!;

    [GlobalSetup]
    public void Setup()
    {
        var keys = new (byte[] Public, byte[] Secret)[Signers];
        for (var i = 0; i < Signers; i++)
        {
            var seed = new byte[32];
            seed[0] = (byte)i;
            keys[i] = (new byte[MLDsa87.PublicKeySize], new byte[MLDsa87.SecretKeySize]);
            MLDsa87.GenerateKeyPair(seed, keys[i].Public, keys[i].Secret);
        }

        for (var i = 0; i < Items; i++)
        {
            var message = BitConverter.GetBytes(i);
            var signature = new byte[MLDsa87.SignatureSize];
            MLDsa87.Sign(keys[i % Signers].Secret, message, "vote"u8, signature);
            _items[i] = new MLDsa87BatchItem(keys[i % Signers].Public, message, "vote"u8.ToArray(), signature);
        }

        _oneCore = new MLDsa87BatchVerifier(_cache, maxDegreeOfParallelism: 1);
        _allCores = new MLDsa87BatchVerifier(_cache);
        OneCore();
        if (Array.IndexOf(_results, false) >= 0 || AllCores() != Items)
        {
            throw new InvalidOperationException("The batch rejected a valid signature.");
        }
    }

    [Benchmark(Baseline = true)]
    public int OneCore()
    {
        _oneCore.VerifyAll(_items, _results);
        return Count();
    }

    [Benchmark]
    public int AllCores()
    {
        _allCores.VerifyAll(_items, _results);
        return Count();
    }

    private int Count()
    {
        var valid = 0;
        foreach (var result in _results)
        {
            valid += result ? 1 : 0;
        }

        return valid;
    }
}
