using BenchmarkDotNet.Attributes;
using CretoAI.Fast.Consensus.Certificates;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Benchmarks.Consensus;

/// <summary>
/// Verifying a full quorum certificate with real ML-DSA-87 signatures (BouncyCastle): cold (a fresh
/// verifier: every signature up to the threshold is checked) against warm (the votes were verified
/// on arrival, so the certificate costs cache look-ups and byte comparisons only), for 4, 16 and 150
/// signers. The ratio is what the caches save when a QC arrives after its votes.
/// </summary>
[MemoryDiagnoser]
public class QcVerificationBenchmarks
{
    private static readonly Hash32 Chain = Sha3.Hash256("bench"u8);
    private ValidatorSet _set = null!;
    private QuorumCertificate _qc = null!;
    private Vote[] _votes = [];
    private CertificateVerifier _warm = null!;
    private Hash32 _genesis;

    [Params(4, 16, 150)]
    public int Signers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var signers = Enumerable.Range(0, Signers).Select(i =>
        {
            var seed = new byte[32];
            seed[0] = (byte)i;
            seed[1] = (byte)(i >> 8);
            return MLDsa87ConsensusSigner.FromSeed(seed);
        }).ToArray();
        _set = new ValidatorSet(0, [.. signers.Select(s => new Validator(s.NodeId, s.PublicKey, 100))]);
        var block = Sha3.Hash256("block"u8);
        _votes = [.. signers.Select((s, i) => new Vote(0, 9, 4, block, i, SigningDomain.SignBlockStatement(s, SignedKind.Vote, Chain, 0, 9, 4, block)))];
        _qc = CertificateBuilder.BuildQc(_set, 9, 4, block, _votes.ToDictionary(v => v.VoterIndex, v => v.Signature), ThreatLevel.Normal);
        _genesis = Block.Genesis(Chain, 0).Id;
        _warm = new CertificateVerifier(Chain, _set, FixedThreatLevel.Normal, MLDsa87ConsensusVerifier.Fast, _genesis);
        foreach (var v in _votes)
        {
            _warm.VerifyVote(v);
        }
    }

    [Benchmark(Baseline = true, Description = "QC verify, cold")]
    public bool Cold() => new CertificateVerifier(Chain, _set, FixedThreatLevel.Normal, MLDsa87ConsensusVerifier.Fast, _genesis).VerifyQc(_qc);

    [Benchmark(Description = "QC verify, cached")]
    public bool Warm()
    {
        // A structurally equal copy from the wire: the votes were verified on arrival (and after the
        // first call the certificate itself is cached); either way no signature is checked, only bytes compared.
        var copy = new QuorumCertificate(_qc.Epoch, _qc.Round + 0, _qc.Height, _qc.BlockId, [.. _qc.SignerBitmap], [.. _qc.Signatures]);
        return _warm.VerifyQc(copy);
    }
}
