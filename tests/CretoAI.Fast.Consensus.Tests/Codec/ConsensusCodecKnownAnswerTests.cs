using System.Buffers;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Messages.Codec;
using CretoAI.Fast.Core;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests.Codec;

/// <summary>
/// Encodings written out by hand from docs/protocol.md §10: they pin the format, so a change to the
/// codec that would make old peers or an old WAL unreadable fails here. (The hex is also the worked
/// example in the document.)
/// </summary>
public sealed class ConsensusCodecKnownAnswerTests
{
    private const string VoteHex =
        "02"                                                                   // tag: Vote
        + "0100000000000000"                                                   // epoch 1
        + "0200000000000000"                                                   // round 2
        + "0300000000000000"                                                   // height 3
        + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"   // block id
        + "05000000"                                                           // voter index 5
        + "03000000"                                                           // signature length 3
        + "aabbcc";                                                            // signature

    private const string SyncRequestHex =
        "0807060504030201"  // from height 0x0102030405060708
        + "40000000"        // max blocks 64
        + "00001000";       // max bytes 1 MiB

    private static readonly Hash32 CountingId = new([.. Enumerable.Range(0, 32).Select(i => (byte)i)]);

    [Fact]
    public void A_small_vote_encodes_to_the_documented_bytes()
    {
        var vote = new Vote(1, 2, 3, CountingId, 5, [0xAA, 0xBB, 0xCC]);
        Assert.Equal(VoteHex, Convert.ToHexStringLower(CodecAssert.Encode(vote)));
    }

    [Fact]
    public void The_documented_vote_bytes_decode_to_the_vote()
    {
        Assert.Equal(ConsensusDecodeError.None, ConsensusCodec.TryRead(Convert.FromHexString(VoteHex), ConsensusCodecLimits.Default, out var message));
        var vote = Assert.IsType<Vote>(message);
        Assert.Equal((1UL, 2UL, 3UL, CountingId, 5), (vote.Epoch, vote.Round, vote.Height, vote.BlockId, vote.VoterIndex));
        Assert.Equal([0xAA, 0xBB, 0xCC], vote.Signature);
    }

    [Fact]
    public void A_sync_request_encodes_to_the_documented_bytes()
    {
        var writer = new ArrayBufferWriter<byte>();
        new SyncRequestPayload(0x0102030405060708, 64, 1 << 20).Write(writer);
        Assert.Equal(SyncRequestHex, Convert.ToHexStringLower(writer.WrittenSpan));
    }

    [Fact]
    public void A_genesis_committed_block_encodes_to_the_documented_layout()
    {
        // Genesis of chain 00..1f at time 1000: no proposer, an empty certificate, no transactions or
        // evidence; then its own certificate (round 0, height 0, its id, no signers).
        var genesis = Block.Genesis(CountingId, 0, 1000);
        var hex = Convert.ToHexStringLower(CodecAssert.Encode(genesis, Block.GenesisQc(genesis)));
        var id = genesis.Id.ToString();
        var expected =
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"  // chain id
            + "0000000000000000" + "0000000000000000" + "0000000000000000"      // epoch, round, height
            + "e803000000000000"                                                // timestamp 1000
            + "ffffffff"                                                        // proposer -1
            + "0000000000000000" + "0000000000000000" + "0000000000000000"      // parent QC: epoch, round, height
            + new string('0', 64)                                               // ... block id (none)
            + "00000000" + "00000000"                                           // ... no bitmap, no signatures
            + "00000000" + "00000000"                                           // no transactions, no evidence
            + "0000000000000000" + "0000000000000000" + "0000000000000000"      // commit QC: epoch, round, height
            + id                                                                // ... the genesis id
            + "00000000" + "00000000";                                          // ... no bitmap, no signatures
        Assert.Equal(expected, hex);
    }
}
