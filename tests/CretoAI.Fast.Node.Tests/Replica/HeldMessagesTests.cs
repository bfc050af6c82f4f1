using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Core;
using CretoAI.Fast.Node.Replica;

namespace CretoAI.Fast.Node.Tests.Replica;

public sealed class HeldMessagesTests
{
    private static Vote VoteFrom(int voter, ulong round) => new(0, round, round, Hash32.Zero, voter, new byte[16]);

    private static Proposal ProposalOf(int transactions, int bytesEach)
    {
        var genesis = Block.Genesis(Hash32.Zero, 0);
        var txs = new byte[transactions][];
        for (var i = 0; i < transactions; i++)
        {
            txs[i] = new byte[bytesEach];
            txs[i][0] = (byte)i;
        }

        var block = new Block(Hash32.Zero, 0, 1, 1, Block.GenesisQc(genesis), 0, txs, []);
        return new Proposal(block, new byte[16], null);
    }

    [Fact]
    public void Held_messages_are_stepped_oldest_first_with_their_senders_and_then_forgotten()
    {
        var held = new HeldMessages();
        held.Hold(2, VoteFrom(2, 1));
        held.Hold(3, VoteFrom(3, 1));
        held.Hold(1, VoteFrom(1, 2));

        var stepped = new List<(int From, ulong Round)>();
        held.Drain((from, message) => stepped.Add((from, ((Vote)message).Round)));

        Assert.Equal([(2, 1UL), (3, 1UL), (1, 2UL)], stepped);
        Assert.Equal(0, held.Count);
        Assert.Equal(0, held.Bytes);
        held.Drain((_, _) => Assert.Fail("nothing is held twice"));
    }

    [Fact]
    public void Past_its_count_the_oldest_messages_go()
    {
        var held = new HeldMessages();
        Assert.Equal(HeldMessages.MinCapacity, held.Capacity);
        for (var i = 0; i < held.Capacity + 5; i++)
        {
            held.Hold(1, VoteFrom(1, (ulong)i));
        }

        Assert.Equal(held.Capacity, held.Count);
        Assert.Equal(5, held.Dropped);
        var first = -1L;
        held.Drain((_, message) => first = first < 0 ? (long)((Vote)message).Round : first);
        Assert.Equal(5, first);
    }

    [Theory]
    [InlineData(4, 64)]
    [InlineData(16, 64)]
    [InlineData(17, 68)]
    [InlineData(64, 256)]
    public void A_larger_validator_set_holds_a_round_of_votes_from_everyone(int validators, int capacity) =>
        Assert.Equal(capacity, new HeldMessages(validators).Capacity);

    [Fact]
    public void Proposals_count_for_their_transactions_and_past_the_byte_bound_the_oldest_go()
    {
        var oneMiB = ProposalOf(16, 64 << 10);
        Assert.Equal(HeldMessages.CertificateAllowance + (1 << 20), HeldMessages.EstimatedBytes(oneMiB));

        var held = new HeldMessages();
        held.Hold(0, VoteFrom(0, 1));
        for (var i = 0; i < 20; i++)
        {
            held.Hold(1, oneMiB);
        }

        Assert.True(held.Bytes <= HeldMessages.MaxBytes, $"{held.Bytes} bytes held");
        var (count, dropped) = (held.Count, held.Dropped);
        Assert.Equal(21, count + dropped);
        Assert.True(dropped >= 5, $"{dropped} dropped");
        var kinds = new List<Type>();
        held.Drain((_, message) => kinds.Add(message.GetType()));
        Assert.Equal(count, kinds.Count);
        Assert.DoesNotContain(typeof(Vote), kinds); // the oldest, the vote, went first
    }

    [Fact]
    public void A_single_message_over_the_byte_bound_is_still_held()
    {
        var held = new HeldMessages();
        held.Hold(1, ProposalOf(17, 1 << 20)); // 17 MiB of transactions
        Assert.Equal(1, held.Count);
        Assert.Equal(0, held.Dropped);
    }
}
