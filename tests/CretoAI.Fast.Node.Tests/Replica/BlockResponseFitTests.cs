using System.Buffers;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Messages.Codec;
using CretoAI.Fast.Core;
using CretoAI.Fast.Node.Replica;

namespace CretoAI.Fast.Node.Tests.Replica;

public sealed class BlockResponseFitTests
{
    private static readonly Hash32 Chain = new(Enumerable.Repeat((byte)9, 32).ToArray());

    /// <summary>A response naming the newest of <paramref name="count"/> chained blocks first, each with one transaction of <paramref name="transactionBytes"/>.</summary>
    private static BlockResponse Response(int count, int transactionBytes)
    {
        var parent = Block.GenesisQc(Block.Genesis(Chain, 0));
        var blocks = new Block[count];
        for (var i = 0; i < count; i++)
        {
            var height = (ulong)i + 1;
            var transaction = new byte[transactionBytes];
            transaction[0] = (byte)i;
            blocks[count - 1 - i] = new Block(Chain, 0, height, height, parent, 0, [transaction], []);
            parent = new QuorumCertificate(0, height, height, blocks[count - 1 - i].Id, [], []);
        }

        return new BlockResponse(0, blocks);
    }

    private static byte[] Encode(ConsensusMessage message)
    {
        var writer = new ArrayBufferWriter<byte>();
        ConsensusCodec.Write(writer, message);
        return writer.WrittenSpan.ToArray();
    }

    [Fact]
    public void A_response_over_the_frame_limit_keeps_the_longest_prefix_that_fits_and_still_round_trips()
    {
        var response = Response(10, 10_000);
        var blockBytes = Encode(new BlockResponse(0, [response.Blocks[0]])).Length - ConsensusCodec.BlockResponseHeaderBytes;
        var limit = ConsensusCodec.BlockResponseHeaderBytes + (3 * blockBytes) + (blockBytes / 2); // room for three and a half blocks

        var fitted = ValidatorNode.FitToFrame(response, limit);

        Assert.Equal(response.Blocks.Take(3).Select(b => b.Id), fitted.Blocks.Select(b => b.Id));
        var bytes = Encode(fitted);
        Assert.True(bytes.Length <= limit);
        Assert.True(bytes.Length + blockBytes > limit); // a fourth block would not have fitted
        Assert.Equal(ConsensusDecodeError.None, ConsensusCodec.TryRead(bytes, ConsensusCodecLimits.Default, out var decoded));
        Assert.Equal(fitted.Blocks.Select(b => b.Id), Assert.IsType<BlockResponse>(decoded).Blocks.Select(b => b.Id));
    }

    [Fact]
    public void A_response_that_fits_is_sent_whole()
    {
        var response = Response(4, 1_000);
        Assert.Same(response, ValidatorNode.FitToFrame(response, Encode(response).Length));
    }

    [Fact]
    public void A_first_block_over_the_limit_is_kept_alone_for_the_link_to_refuse()
    {
        var response = Response(3, 10_000);
        var fitted = ValidatorNode.FitToFrame(response, 5_000);
        Assert.Equal(response.Blocks[0].Id, Assert.Single(fitted.Blocks).Id);
    }
}
