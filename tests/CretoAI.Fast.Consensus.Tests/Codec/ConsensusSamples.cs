using CretoAI.Fast.Consensus.Certificates;
using CretoAI.Fast.Consensus.Evidence;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CsCheck;

namespace CretoAI.Fast.Consensus.Tests.Codec;

/// <summary>
/// Consensus messages to encode: a small real chain (four validators with the fake signature scheme,
/// certificates built by <see cref="CertificateBuilder"/>) and CsCheck generators of arbitrary ones.
/// </summary>
internal sealed class ConsensusSamples
{
    public const ulong GenesisTime = 1_700_000_000_000;

    /// <summary>Bytes of a signed transaction envelope with a 100-byte body (header, ML-DSA-87 key and signature).</summary>
    public const int EnvelopeBytes = 48 + 2592 + 100 + 4627;

    public ConsensusSamples()
    {
        Signers = [.. Enumerable.Range(0, 4).Select(FakeSignatureScheme.CreateSigner)];
        Set = new ValidatorSet(0, [.. Signers.Select(s => new Validator(s.NodeId, s.PublicKey, 100))]);
        Genesis = Block.Genesis(Chain, 0, GenesisTime);
        GenesisQc = Block.GenesisQc(Genesis);

        Block1 = new Block(Chain, 0, 1, 1, GenesisQc, Set.LeaderOf(1), [Envelope(1), Envelope(2)], [], GenesisTime + 1000);
        Qc1 = CertificateBuilder.BuildQc(Set, 1, 1, Block1.Id, Enumerable.Range(0, 4).ToDictionary(i => i, i => VoteSignature(i, Block1)), ThreatLevel.Normal);

        // Round 2 times out: every validator reports QC1 as its highest.
        Timeouts2 = Enumerable.Range(0, 4).ToDictionary(i => i, i => new TimeoutMessage(0, 2, Qc1, i, SigningDomain.SignTimeout(Signers[i], Chain, 0, 2, Qc1.Round), null));
        Tc2 = CertificateBuilder.BuildTc(Set, 2, Timeouts2, ThreatLevel.Normal);

        DoubleVote = new EquivocationEvidence(
            SignedKind.Vote, 0, 1, 2,
            new SignedStatement(1, Block1.Id, VoteSignature(2, Block1)),
            new SignedStatement(1, Sha3.Hash256("other block"u8), SigningDomain.SignBlockStatement(Signers[2], SignedKind.Vote, Chain, 0, 1, 1, Sha3.Hash256("other block"u8))));

        // Round 3 extends QC1 after the TC of round 2, with three transactions and the evidence.
        Block3 = new Block(Chain, 0, 3, 2, Qc1, Set.LeaderOf(3), [Envelope(3), Envelope(4), [0x42]], [DoubleVote], GenesisTime + 3000);
        Qc3 = CertificateBuilder.BuildQc(Set, 3, 2, Block3.Id, Enumerable.Range(0, 3).ToDictionary(i => i, i => VoteSignature(i, Block3)), ThreatLevel.Normal);
    }

    public static Hash32 Chain { get; } = Sha3.Hash256("codec-tests"u8);

    public IConsensusSigner[] Signers { get; }

    public ValidatorSet Set { get; }

    public Block Genesis { get; }

    public QuorumCertificate GenesisQc { get; }

    public Block Block1 { get; }

    public QuorumCertificate Qc1 { get; }

    public Dictionary<int, TimeoutMessage> Timeouts2 { get; }

    public TimeoutCertificate Tc2 { get; }

    public EquivocationEvidence DoubleVote { get; }

    public Block Block3 { get; }

    public QuorumCertificate Qc3 { get; }

    public Proposal Proposal1 => new(Block1, ProposalSignature(Block1), null);

    public Proposal Proposal3 => new(Block3, ProposalSignature(Block3), Tc2);

    public Vote Vote1 => new(0, 1, 1, Block1.Id, 3, VoteSignature(3, Block1));

    public TimeoutMessage Timeout2 => Timeouts2[1];

    /// <summary>A timeout in round 3 by a validator that entered it through the TC of round 2.</summary>
    public TimeoutMessage Timeout3 => new(0, 3, Qc1, 0, SigningDomain.SignTimeout(Signers[0], Chain, 0, 3, Qc1.Round), Tc2);

    public EvidenceMessage Evidence => new(DoubleVote);

    public BlockRequest Request => new(0, Block3.Id, 8);

    public BlockResponse Response => new(0, [Block3, Block1, Genesis]);

    /// <summary>One of each message type, with and without their optional parts.</summary>
    public IReadOnlyList<ConsensusMessage> All() =>
        [Proposal1, Proposal3, new Proposal(Genesis, [], null), Vote1, Timeout2, Timeout3, Evidence, Request, new BlockRequest(1, Genesis.Id, 0), Response, new BlockResponse(0, [])];

    public byte[] VoteSignature(int validator, Block block) =>
        SigningDomain.SignBlockStatement(Signers[validator], SignedKind.Vote, Chain, block.Epoch, block.Round, block.Height, block.Id);

    private byte[] ProposalSignature(Block block) =>
        SigningDomain.SignBlockStatement(Signers[block.ProposerIndex], SignedKind.Proposal, Chain, block.Epoch, block.Round, block.Height, block.Id);

    /// <summary>Deterministic bytes the size of a real signed transaction.</summary>
    private static byte[] Envelope(int seed)
    {
        var bytes = new byte[EnvelopeBytes];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 1;
        return bytes;
    }

    // ------------------------------------------------------------------ generators

    public static readonly Gen<Hash32> Hash = Gen.Byte.Array[Hash32.Size].Select(b => new Hash32(b));

    /// <summary>Mostly short signatures (fast), sometimes the size of ML-DSA-87's.</summary>
    public static readonly Gen<byte[]> Signature = Gen.Frequency((4, Gen.Byte.Array[0, 64]), (1, Gen.Byte.Array[4627]));

    public static readonly Gen<int> ValidatorIndex = Gen.Int[0, 1023];

    public static readonly Gen<QuorumCertificate> Qc =
        Gen.Select(Gen.ULong, Gen.ULong, Gen.ULong, Hash, Gen.ULong.Array[0, 4], Signature.Array[0, 5])
            .Select(t => new QuorumCertificate(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6));

    public static readonly Gen<TimeoutCertificate> Tc =
        Gen.Select(Gen.ULong, Gen.ULong, Gen.ULong.Array[0, 4], Gen.Select(Gen.ULong, Signature).Array[0, 5], Qc)
            .Select(t => new TimeoutCertificate(t.Item1, t.Item2, t.Item3, [.. t.Item4.Select(p => p.Item1)], [.. t.Item4.Select(p => p.Item2)], t.Item5));

    public static readonly Gen<TimeoutCertificate?> OptionalTc = Gen.Frequency((1, Gen.Const((TimeoutCertificate?)null)), (1, Tc.Select(tc => (TimeoutCertificate?)tc)));

    public static readonly Gen<SignedStatement> Statement = Gen.Select(Gen.ULong, Hash, Signature).Select(t => new SignedStatement(t.Item1, t.Item2, t.Item3));

    public static readonly Gen<EquivocationEvidence> EvidenceGen =
        Gen.Select(Gen.OneOfConst(SignedKind.Proposal, SignedKind.Vote, SignedKind.Timeout), Gen.ULong, Gen.ULong, ValidatorIndex, Statement, Statement)
            .Select(t => new EquivocationEvidence(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6));

    public static readonly Gen<Block> BlockGen =
        Gen.Select(Gen.Select(Hash, Gen.ULong, Gen.ULong, Gen.ULong, Gen.ULong, Gen.Int[-1, 1023]), Qc, Gen.Byte.Array[0, 2000].Array[0, 6], EvidenceGen.Array[0, 2])
            .Select(t => new Block(t.Item1.Item1, t.Item1.Item2, t.Item1.Item3, t.Item1.Item4, t.Item2, t.Item1.Item6, t.Item3, t.Item4, t.Item1.Item5));

    public static readonly Gen<ConsensusMessage> Message = Gen.OneOf(
        Gen.Select(BlockGen, Signature, OptionalTc).Select(t => (ConsensusMessage)new Proposal(t.Item1, t.Item2, t.Item3)),
        Gen.Select(Gen.ULong, Gen.ULong, Gen.ULong, Hash, ValidatorIndex, Signature).Select(t => (ConsensusMessage)new Vote(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6)),
        Gen.Select(Gen.ULong, Gen.ULong, Qc, ValidatorIndex, Signature, OptionalTc).Select(t => (ConsensusMessage)new TimeoutMessage(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6)),
        EvidenceGen.Select(e => (ConsensusMessage)new EvidenceMessage(e)),
        Gen.Select(Gen.ULong, Hash, Gen.Int[0, BlockRequest.MaxAncestorsLimit]).Select(t => (ConsensusMessage)new BlockRequest(t.Item1, t.Item2, t.Item3)),
        Gen.Select(Gen.ULong, BlockGen.Array[0, 3]).Select(t => (ConsensusMessage)new BlockResponse(t.Item1, t.Item2)));
}
