using BenchmarkDotNet.Attributes;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Benchmarks.Crypto;

/// <summary>
/// RejNTTPoly's parse, the inner loop of ExpandA (56 polynomials per cold verification): 256
/// coefficients from a five-block SHAKE128 stream (840 bytes), scalar (reference) against AVX2.
/// </summary>
public class MLDsa87RejectionSamplingBenchmarks
{
    private readonly byte[] _stream = new byte[5 * 168];
    private readonly int[] _coefficients = new int[256];

    [GlobalSetup]
    public void Setup()
    {
        var sponge = KeccakSponge.Shake128();
        sponge.Absorb("cretoai-fast/bench/rej"u8);
        sponge.Squeeze(_stream);
        if (Scalar() != 256 || Avx2() != 256)
        {
            throw new InvalidOperationException("The stream should hold 256 accepted coefficients.");
        }
    }

    [Benchmark(Baseline = true)]
    public int Scalar() => MLDsa87Sampling.ParseUniformScalar(_stream, _coefficients, 0);

    [Benchmark]
    public int Avx2() => MLDsa87Sampling.ParseUniform(_stream, _coefficients, 0);
}
