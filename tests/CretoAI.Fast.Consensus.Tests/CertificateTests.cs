using CretoAI.Fast.Consensus.Certificates;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests;

public sealed class CertificateTests
{
    private static readonly Hash32 Chain = Sha3.Hash256("chain"u8);
    private static readonly Hash32 BlockId = Sha3.Hash256("block"u8);

    private sealed class Fixture
    {
        public Fixture(int n, ulong[]? weights = null)
        {
            Signers = [.. Enumerable.Range(0, n).Select(FakeSignatureScheme.CreateSigner)];
            Set = new ValidatorSet(0, [.. Signers.Select((s, i) => new Validator(s.NodeId, s.PublicKey, weights?[i] ?? 100))]);
            Verifier = new CertificateVerifier(Chain, Set, FixedThreatLevel.Normal, FakeSignatureScheme.Instance, Block.Genesis(Chain, 0).Id);
        }

        public IConsensusSigner[] Signers { get; }

        public ValidatorSet Set { get; }

        public CertificateVerifier Verifier { get; }

        public byte[] VoteSignature(int i) => SigningDomain.SignBlockStatement(Signers[i], SignedKind.Vote, Chain, 0, 5, 3, BlockId);

        public Vote Vote(int i) => new(0, 5, 3, BlockId, i, VoteSignature(i));

        public QuorumCertificate Qc(params int[] signers)
        {
            var bitmap = new ulong[Set.BitmapWords];
            foreach (var s in signers)
            {
                bitmap[s / 64] |= 1UL << (s % 64);
            }

            return new QuorumCertificate(0, 5, 3, BlockId, bitmap, [.. signers.Order().Select(VoteSignature)]);
        }
    }

    [Fact]
    public void A_quorum_certificate_verifies_and_a_second_copy_costs_no_signature_checks()
    {
        var f = new Fixture(10);
        Assert.True(f.Verifier.VerifyQc(f.Qc(0, 1, 2, 3, 4, 5, 6)));
        Assert.Equal(7, f.Verifier.SignaturesChecked);
        Assert.True(f.Verifier.VerifyQc(f.Qc(0, 1, 2, 3, 4, 5, 6))); // equal content, new object
        Assert.Equal(7, f.Verifier.SignaturesChecked);
    }

    [Fact]
    public void Votes_verified_earlier_are_not_verified_again_inside_a_certificate()
    {
        var f = new Fixture(10);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(f.Verifier.VerifyVote(f.Vote(i)));
        }

        Assert.Equal(5, f.Verifier.SignaturesChecked);
        Assert.True(f.Verifier.VerifyQc(f.Qc(0, 1, 2, 3, 4, 5, 6)));
        Assert.Equal(7, f.Verifier.SignaturesChecked); // only signers 5 and 6 were new
    }

    [Fact]
    public void Verification_stops_at_the_threshold()
    {
        var f = new Fixture(10);
        var qc = f.Qc(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        qc.Signatures[9][0] ^= 1; // past the threshold in bitmap order: never looked at
        Assert.True(f.Verifier.VerifyQc(qc));
        Assert.Equal(7, f.Verifier.SignaturesChecked);
    }

    [Fact]
    public void A_bad_signature_before_the_threshold_rejects_the_certificate()
    {
        var f = new Fixture(10);
        var qc = f.Qc(0, 1, 2, 3, 4, 5, 6);
        qc.Signatures[2][0] ^= 1;
        Assert.False(f.Verifier.VerifyQc(qc));
    }

    [Fact]
    public void Too_little_weight_is_rejected_before_any_signature_work()
    {
        var f = new Fixture(10);
        Assert.False(f.Verifier.VerifyQc(f.Qc(0, 1, 2, 3, 4, 5)));
        Assert.Equal(0, f.Verifier.SignaturesChecked);
    }

    [Fact]
    public void Malformed_certificates_are_rejected()
    {
        var f = new Fixture(10);
        var good = f.Qc(0, 1, 2, 3, 4, 5, 6);
        Assert.False(f.Verifier.VerifyQc(new QuorumCertificate(0, 5, 3, BlockId, [good.SignerBitmap[0], 0], [.. good.Signatures])));
        Assert.False(f.Verifier.VerifyQc(new QuorumCertificate(0, 5, 3, BlockId, [.. good.SignerBitmap], [.. good.Signatures.Take(6)])));
        Assert.False(f.Verifier.VerifyQc(new QuorumCertificate(1, 5, 3, BlockId, [.. good.SignerBitmap], [.. good.Signatures])));
        Assert.False(f.Verifier.VerifyQc(new QuorumCertificate(0, 5, 4, BlockId, [.. good.SignerBitmap], [.. good.Signatures])));
        Assert.False(f.Verifier.VerifyQc(new QuorumCertificate(0, 0, 0, BlockId, [], [])));
        Assert.True(f.Verifier.VerifyQc(Block.GenesisQc(Block.Genesis(Chain, 0))));
    }

    [Fact]
    public void Weight_comes_from_the_local_set_so_heavy_signers_reach_the_quorum_with_fewer_signatures()
    {
        var f = new Fixture(6, [50, 10, 10, 10, 10, 10]);
        Assert.True(f.Verifier.VerifyQc(f.Qc(0, 1, 2)));
        Assert.False(new Fixture(6, [50, 10, 10, 10, 10, 10]).Verifier.VerifyQc(f.Qc(1, 2, 3, 4, 5)));
    }

    [Fact]
    public void Builder_keeps_the_fewest_signatures_that_reach_the_threshold()
    {
        var f = new Fixture(6, [10, 10, 50, 10, 10, 10]);
        var votes = Enumerable.Range(0, 6).ToDictionary(i => i, f.VoteSignature);
        var qc = CertificateBuilder.BuildQc(f.Set, 5, 3, BlockId, votes, ThreatLevel.Normal);
        Assert.Equal(3, qc.SignerCount); // 50 + 10 + 10 = 70 of 100
        Assert.Equal(0b111UL, qc.SignerBitmap[0] & 0b111UL);
        Assert.True(f.Verifier.VerifyQc(qc));
        Assert.Null(CertificateBuilder.SelectFewest(f.Set, [0, 1, 3], ThreatLevel.Normal));
    }

    [Fact]
    public void Evidence_needs_two_valid_signatures_on_different_blocks()
    {
        var f = new Fixture(4);
        var other = Sha3.Hash256("other"u8);
        var a = new Evidence.SignedStatement(3, BlockId, f.VoteSignature(1));
        var b = new Evidence.SignedStatement(3, other, SigningDomain.SignBlockStatement(f.Signers[1], SignedKind.Vote, Chain, 0, 5, 3, other));
        Assert.True(f.Verifier.VerifyEvidence(new Evidence.EquivocationEvidence(SignedKind.Vote, 0, 5, 1, a, b)));
        Assert.False(f.Verifier.VerifyEvidence(new Evidence.EquivocationEvidence(SignedKind.Vote, 0, 5, 1, a, a)));
        Assert.False(f.Verifier.VerifyEvidence(new Evidence.EquivocationEvidence(SignedKind.Vote, 0, 5, 2, a, b)));
        Assert.False(f.Verifier.VerifyEvidence(new Evidence.EquivocationEvidence(SignedKind.Proposal, 0, 5, 1, a, b)));
    }
}
