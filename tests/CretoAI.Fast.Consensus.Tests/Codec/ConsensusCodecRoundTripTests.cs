using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Messages.Codec;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests.Codec;

public sealed class ConsensusCodecRoundTripTests
{
    private readonly ConsensusSamples _s = new();

    [Fact]
    public void A_proposal_without_a_timeout_certificate_round_trips_with_the_same_block_id()
    {
        var copy = CodecAssert.RoundTrip(_s.Proposal1);
        Assert.Equal(_s.Block1.Id, copy.Block.Id);
        Assert.Null(copy.LastRoundTc);
        Assert.Equal(2, copy.Block.Transactions.Count);
        Assert.Equal(ConsensusSamples.EnvelopeBytes, copy.Block.Transactions[0].Length);
    }

    [Fact]
    public void A_proposal_after_a_timeout_round_trips_with_its_certificate_evidence_and_transactions()
    {
        var copy = CodecAssert.RoundTrip(_s.Proposal3);
        Assert.Equal(_s.Block3.Id, copy.Block.Id);
        Assert.NotNull(copy.LastRoundTc);
        Assert.Equal(_s.Tc2.MaxHighQcRound, copy.LastRoundTc.MaxHighQcRound);
        Assert.Single(copy.Block.Evidence);
        Assert.Equal(_s.DoubleVote.Key, copy.Block.Evidence[0].Key);
        Assert.Equal([0x42], copy.Block.Transactions[2]);
    }

    [Fact]
    public void The_genesis_block_round_trips_with_proposer_minus_one_and_an_empty_certificate()
    {
        var copy = CodecAssert.RoundTrip(new Proposal(_s.Genesis, [], null));
        Assert.Equal(-1, copy.Block.ProposerIndex);
        Assert.True(copy.Block.Qc.IsGenesis);
        Assert.Equal(_s.Genesis.Id, copy.Block.Id);
    }

    [Fact]
    public void A_vote_round_trips() => CodecAssert.RoundTrip(_s.Vote1);

    [Fact]
    public void Timeouts_round_trip_with_and_without_the_last_round_certificate()
    {
        Assert.Null(CodecAssert.RoundTrip(_s.Timeout2).LastRoundTc);
        Assert.NotNull(CodecAssert.RoundTrip(_s.Timeout3).LastRoundTc);
    }

    [Fact]
    public void Evidence_block_requests_and_block_responses_round_trip()
    {
        CodecAssert.RoundTrip(_s.Evidence);
        Assert.Equal(8, CodecAssert.RoundTrip(_s.Request).MaxAncestors);
        Assert.Equal(0, CodecAssert.RoundTrip(new BlockRequest(1, _s.Genesis.Id, 0)).MaxAncestors);
        var response = CodecAssert.RoundTrip(_s.Response);
        Assert.Equal([_s.Block3.Id, _s.Block1.Id, _s.Genesis.Id], response.Blocks.Select(b => b.Id));
        Assert.Empty(CodecAssert.RoundTrip(new BlockResponse(0, [])).Blocks);
    }

    [Fact]
    public void The_tag_byte_names_the_message_type()
    {
        Assert.Equal((byte)ConsensusMessageTag.Proposal, CodecAssert.Encode(_s.Proposal1)[0]);
        Assert.Equal((byte)ConsensusMessageTag.Vote, CodecAssert.Encode(_s.Vote1)[0]);
        Assert.Equal((byte)ConsensusMessageTag.Timeout, CodecAssert.Encode(_s.Timeout2)[0]);
        Assert.Equal((byte)ConsensusMessageTag.Evidence, CodecAssert.Encode(_s.Evidence)[0]);
        Assert.Equal((byte)ConsensusMessageTag.BlockRequest, CodecAssert.Encode(_s.Request)[0]);
        Assert.Equal((byte)ConsensusMessageTag.BlockResponse, CodecAssert.Encode(_s.Response)[0]);
    }

    [Fact]
    public void Any_generated_message_round_trips_field_by_field() =>
        ConsensusSamples.Message.Sample(message => CodecAssert.RoundTrip(message), iter: 300);

    [Fact]
    public void The_measured_length_of_any_block_is_the_length_of_its_encoding() =>
        ConsensusSamples.BlockGen.Sample(block =>
        {
            var encoded = CodecAssert.Encode(new BlockResponse(0, [block]));
            Assert.Equal(encoded.Length, ConsensusCodec.BlockResponseHeaderBytes + ConsensusCodec.EncodedLength(block));
        }, iter: 300);

    [Fact]
    public void The_measured_length_of_the_sample_blocks_with_certificates_and_evidence_is_exact()
    {
        var encoded = CodecAssert.Encode(_s.Response);
        Assert.Equal(encoded.Length, ConsensusCodec.BlockResponseHeaderBytes + _s.Response.Blocks.Sum(ConsensusCodec.EncodedLength));
    }

    [Fact]
    public void A_decoded_block_whose_content_differs_has_another_id()
    {
        // The id is recomputed from the decoded fields: a flipped transaction byte must not keep the id.
        var bytes = CodecAssert.Encode(_s.Proposal1);
        var original = Assert.IsType<Proposal>(Decode(bytes));
        var transactionStart = bytes.AsSpan().IndexOf(_s.Block1.Transactions[1]);
        Assert.True(transactionStart > 0);
        var tampered = (byte[])bytes.Clone();
        tampered[transactionStart + 10] ^= 0x01;
        var changed = Assert.IsType<Proposal>(Decode(tampered));
        Assert.NotEqual(original.Block.Id, changed.Block.Id);
    }

    [Fact]
    public void Writing_a_timeout_certificate_with_unpaired_rounds_and_signatures_is_refused()
    {
        var broken = new TimeoutCertificate(0, 2, [0b1111], [1, 1, 1], [[1], [2]], _s.Qc1);
        Assert.Throws<ArgumentException>(() => CodecAssert.Encode(new TimeoutMessage(0, 3, _s.Qc1, 0, [9], broken)));
    }

    private static ConsensusMessage? Decode(byte[] bytes)
    {
        Assert.Equal(ConsensusDecodeError.None, ConsensusCodec.TryRead(bytes, ConsensusCodecLimits.Default, out var message));
        return message;
    }
}
