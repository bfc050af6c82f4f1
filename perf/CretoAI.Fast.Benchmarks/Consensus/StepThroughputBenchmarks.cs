using BenchmarkDotNet.Attributes;
using CretoAI.Fast.Consensus.Engine;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Benchmarks.Consensus;

/// <summary>
/// Messages per second through <see cref="ConsensusEngine.Step"/> with the fake signature scheme:
/// a fault-free network of N validators is recorded once, then every operation replays the first
/// <see cref="Messages"/> deliveries into fresh engines (the fake scheme is deterministic, so the
/// replay is exact). Reference in the same run: one BouncyCastle ML-DSA-87 verification, the cost
/// the fake scheme stands in for.
/// </summary>
[MemoryDiagnoser]
public class StepThroughputBenchmarks
{
    public const int Messages = 4000;

    private (int From, int To, ConsensusMessage Message)[] _trace = [];
    private ConsensusConfig _config = null!;
    private IConsensusSigner[] _signers = [];
    private byte[] _mlDsaKey = [];
    private byte[] _mlDsaSignature = [];

    [Params(4, 10)]
    public int Validators { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _signers = [.. Enumerable.Range(0, Validators).Select(FakeSignatureScheme.CreateSigner)];
        var set = new ValidatorSet(0, [.. _signers.Select(s => new Validator(s.NodeId, s.PublicKey, 100))]);
        _config = new ConsensusConfig { ChainId = Sha3.Hash256("bench"u8), Validators = set };
        _trace = Record();
        var signer = BouncyCastleMLDsa87.CreateSigner(new byte[32]);
        _mlDsaKey = signer.PublicKey.ToArray();
        _mlDsaSignature = new byte[MLDsa87Sizes.Signature];
        signer.Sign("vote"u8, "ctx"u8, _mlDsaSignature);
    }

    [Benchmark(Baseline = true, Description = "one ML-DSA-87 verify (BouncyCastle, reference)")]
    public bool MLDsaVerify() => BouncyCastleMLDsa87.Instance.Verify(_mlDsaKey, "vote"u8, "ctx"u8, _mlDsaSignature);

    [Benchmark(OperationsPerInvoke = Messages, Description = "Step, per message (fake signatures)")]
    public int Step()
    {
        var engines = _signers.Select(s => new ConsensusEngine(_config, s, FakeSignatureScheme.Instance)).ToArray();
        var outputs = new List<ConsensusOutput>();
        foreach (var engine in engines)
        {
            engine.Start(0, outputs);
        }

        var produced = 0;
        foreach (var (from, to, message) in _trace)
        {
            outputs.Clear();
            engines[to].Step(ConsensusInput.Received(from, message, 1), outputs);
            produced += outputs.Count;
        }

        return produced;
    }

    private (int, int, ConsensusMessage)[] Record()
    {
        var engines = _signers.Select(s => new ConsensusEngine(_config, s, FakeSignatureScheme.Instance)).ToArray();
        var queue = new Queue<(int, int, ConsensusMessage)>();
        var trace = new List<(int, int, ConsensusMessage)>();
        var outputs = new List<ConsensusOutput>();
        void Route(int from)
        {
            foreach (var o in outputs)
            {
                if (o is BroadcastMessage b)
                {
                    for (var to = 0; to < engines.Length; to++)
                    {
                        if (to != from)
                        {
                            queue.Enqueue((from, to, b.Message));
                        }
                    }
                }
                else if (o is SendMessage s)
                {
                    queue.Enqueue((from, s.To, s.Message));
                }
            }

            outputs.Clear();
        }

        for (var i = 0; i < engines.Length; i++)
        {
            engines[i].Start(0, outputs);
            Route(i);
        }

        while (trace.Count < Messages && queue.TryDequeue(out var m))
        {
            trace.Add(m);
            engines[m.Item2].Step(ConsensusInput.Received(m.Item1, m.Item3, 1), outputs);
            Route(m.Item2);
        }

        if (trace.Count < Messages)
        {
            throw new InvalidOperationException("The recorded network stalled.");
        }

        return [.. trace];
    }
}
