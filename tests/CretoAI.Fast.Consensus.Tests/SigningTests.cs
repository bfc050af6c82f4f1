using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests;

public sealed class SigningTests
{
    private static readonly Hash32 Chain = Sha3.Hash256("chain"u8);

    [Fact]
    public void Fake_scheme_rejects_other_keys_messages_contexts_and_tampering()
    {
        var signer = FakeSignatureScheme.CreateSigner(1);
        var other = FakeSignatureScheme.CreateSigner(2);
        var verifier = FakeSignatureScheme.Instance;
        var signature = new byte[signer.SignatureSize];
        signer.Sign("hello"u8, "ctx"u8, signature);
        Assert.True(verifier.Verify(signer.PublicKey.Span, "hello"u8, "ctx"u8, signature));
        Assert.False(verifier.Verify(other.PublicKey.Span, "hello"u8, "ctx"u8, signature));
        Assert.False(verifier.Verify(signer.PublicKey.Span, "hellp"u8, "ctx"u8, signature));
        Assert.False(verifier.Verify(signer.PublicKey.Span, "hello"u8, "cty"u8, signature));
        signature[3] ^= 1;
        Assert.False(verifier.Verify(signer.PublicKey.Span, "hello"u8, "ctx"u8, signature));
        Assert.False(verifier.Verify(signer.PublicKey.Span, "hello"u8, "ctx"u8, signature.AsSpan(1)));
    }

    [Fact]
    public void A_vote_signature_does_not_verify_as_a_proposal_another_chain_or_another_epoch()
    {
        var signer = FakeSignatureScheme.CreateSigner(1);
        var block = Sha3.Hash256("block"u8);
        var vote = SigningDomain.SignBlockStatement(signer, SignedKind.Vote, Chain, 1, 5, 4, block);
        Span<byte> statement = stackalloc byte[SigningDomain.BlockStatementSize];

        SigningDomain.WriteBlockStatement(SignedKind.Vote, Chain, 1, 5, 4, block, statement);
        Assert.True(FakeSignatureScheme.Instance.Verify(signer.PublicKey.Span, statement, SigningDomain.VoteContext, vote));

        SigningDomain.WriteBlockStatement(SignedKind.Proposal, Chain, 1, 5, 4, block, statement);
        Assert.False(FakeSignatureScheme.Instance.Verify(signer.PublicKey.Span, statement, SigningDomain.ProposalContext, vote));

        SigningDomain.WriteBlockStatement(SignedKind.Vote, Sha3.Hash256("other"u8), 1, 5, 4, block, statement);
        Assert.False(FakeSignatureScheme.Instance.Verify(signer.PublicKey.Span, statement, SigningDomain.VoteContext, vote));

        SigningDomain.WriteBlockStatement(SignedKind.Vote, Chain, 2, 5, 4, block, statement);
        Assert.False(FakeSignatureScheme.Instance.Verify(signer.PublicKey.Span, statement, SigningDomain.VoteContext, vote));
    }

    public static TheoryData<string> MLDsaVerifiers => new() { "fast", "bouncycastle" };

    [Theory]
    [MemberData(nameof(MLDsaVerifiers))]
    public void ML_DSA_87_adapter_signs_and_verifies_with_the_context_string(string which)
    {
        var seed = new byte[32];
        seed[0] = 7;
        var signer = MLDsa87ConsensusSigner.FromSeed(seed);
        var verifier = which == "fast" ? MLDsa87ConsensusVerifier.Fast : MLDsa87ConsensusVerifier.BouncyCastle;
        var block = Sha3.Hash256("block"u8);
        var signature = SigningDomain.SignBlockStatement(signer, SignedKind.Vote, Chain, 0, 1, 1, block);
        Assert.Equal(MLDsa87Sizes.Signature, signature.Length);
        Span<byte> statement = stackalloc byte[SigningDomain.BlockStatementSize];
        SigningDomain.WriteBlockStatement(SignedKind.Vote, Chain, 0, 1, 1, block, statement);
        Assert.True(verifier.Verify(signer.PublicKey.Span, statement, SigningDomain.VoteContext, signature));
        Assert.False(verifier.Verify(signer.PublicKey.Span, statement, SigningDomain.ProposalContext, signature));
        Assert.True(verifier.VerifyAll([new SignatureCheck(signer.PublicKey, statement.ToArray(), SigningDomain.VoteContext.ToArray(), signature)]));
        signature[100] ^= 1;
        Assert.False(verifier.VerifyAll([new SignatureCheck(signer.PublicKey, statement.ToArray(), SigningDomain.VoteContext.ToArray(), signature)]));
    }

    [Theory]
    [MemberData(nameof(MLDsaVerifiers))]
    public void ML_DSA_87_batch_is_valid_only_when_every_signature_is(string which)
    {
        var verifier = which == "fast" ? MLDsa87ConsensusVerifier.Fast : MLDsa87ConsensusVerifier.BouncyCastle;
        var checks = new SignatureCheck[6];
        for (var i = 0; i < checks.Length; i++)
        {
            var seed = new byte[32];
            seed[0] = (byte)(40 + i);
            var signer = MLDsa87ConsensusSigner.FromSeed(seed);
            var block = Sha3.Hash256([(byte)i]);
            var statement = new byte[SigningDomain.BlockStatementSize];
            SigningDomain.WriteBlockStatement(SignedKind.Vote, Chain, 0, 3, 2, block, statement);
            var signature = SigningDomain.SignBlockStatement(signer, SignedKind.Vote, Chain, 0, 3, 2, block);
            checks[i] = new SignatureCheck(signer.PublicKey, statement, SigningDomain.VoteContext.ToArray(), signature);
        }

        Assert.True(verifier.VerifyAll(checks));
        for (var bad = 0; bad < checks.Length; bad++)
        {
            var tampered = (SignatureCheck[])checks.Clone();
            var signature = tampered[bad].Signature.ToArray();
            signature[bad * 500] ^= 0x10;
            tampered[bad] = tampered[bad] with { Signature = signature };
            Assert.False(verifier.VerifyAll(tampered), $"batch with signature {bad} tampered");
        }
    }
}
