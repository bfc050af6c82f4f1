using CretoAI.Fast.Node.Replica;

namespace CretoAI.Fast.Node.Tests.Replica;

public sealed class RoundMessagesTests
{
    private readonly RecordingArrayPool _pool = new();

    /// <summary>As the consensus thread does: encode into a pooled payload, send, keep, release its own reference.</summary>
    private SharedPayload Sent(RoundMessages kept, int to, byte tag, (byte Kind, ulong Round) key = default)
    {
        var payload = SharedPayload.CopyOf([tag], _pool);
        kept.Keep(to, payload, key);
        payload.Release();
        return payload;
    }

    private static byte[] Tags(IEnumerable<SharedPayload> payloads) => [.. payloads.Select(p => p.Span[0])];

    [Fact]
    public void A_peer_gets_the_broadcasts_and_its_own_messages_of_this_round_and_the_last()
    {
        var kept = new RoundMessages();
        kept.EnterRound(1);
        Sent(kept, RoundMessages.Everyone, 1); // proposal of round 1
        Sent(kept, 2, 2);                       // a message to validator 2 only
        kept.EnterRound(2);
        Sent(kept, RoundMessages.Everyone, 3); // vote of round 2

        Assert.Equal([1, 2, 3], Tags(kept.For(2)));
        Assert.Equal([1, 3], Tags(kept.For(3)));
        Assert.Empty(_pool.Returned); // all still referenced

        kept.EnterRound(3);
        Assert.Equal([3], Tags(kept.For(2)));
        Assert.Equal(2, _pool.Returned.Count); // round 1's two arrays went back to the pool
        Assert.Equal(3UL, kept.Round);
    }

    [Fact]
    public void Past_its_capacity_the_oldest_message_is_released()
    {
        var kept = new RoundMessages();
        kept.EnterRound(7);
        for (var i = 0; i <= RoundMessages.Capacity; i++)
        {
            Sent(kept, RoundMessages.Everyone, (byte)i);
        }

        Assert.Equal(RoundMessages.Capacity, kept.Count);
        Assert.Same(_pool.Rented[0], Assert.Single(_pool.Returned));
        Assert.Equal(1, kept.For(0).First().Span[0]);
    }

    [Fact]
    public void An_older_round_does_not_drop_what_is_kept_and_clear_releases_everything()
    {
        var kept = new RoundMessages();
        kept.EnterRound(5);
        Sent(kept, 1, 9);
        kept.EnterRound(2); // an engine rebuilt on an older view; rounds here only go up
        Assert.Equal(5UL, kept.Round);
        Assert.Equal([9], Tags(kept.For(1)));

        kept.Clear();
        Assert.Equal(0, kept.Count);
        Assert.Same(Assert.Single(_pool.Rented), Assert.Single(_pool.Returned));
    }

    [Fact]
    public void A_message_sent_again_with_the_same_key_replaces_the_kept_one()
    {
        var kept = new RoundMessages();
        kept.EnterRound(4);
        Sent(kept, RoundMessages.Everyone, 1, (1, 4));  // proposal of round 4
        Sent(kept, RoundMessages.Everyone, 2, (3, 4));  // timeout of round 4
        for (byte again = 3; again < 40; again++)
        {
            Sent(kept, RoundMessages.Everyone, again, (3, 4)); // the timeout broadcast again at each timer firing
        }

        Sent(kept, 2, 50, (3, 4)); // same key, another destination: kept apart
        Assert.Equal([1, 39, 50], Tags(kept.For(2)));
        Assert.Equal(_pool.Rented.Count - 3, _pool.Returned.Count); // every replaced copy went back to the pool
    }
}
