using CretoAI.Fast.Node.Replica;

namespace CretoAI.Fast.Node.Tests.Replica;

public sealed class ApplyQueueTests
{
    [Fact]
    public async Task Items_arrive_in_order_while_a_full_queue_holds_two_producers_back()
    {
        using var queue = new ApplyQueue<int>(capacity: 4);
        var received = new List<int>();
        var consumer = Task.Factory.StartNew(
            () =>
            {
                foreach (var item in queue.GetConsumingEnumerable())
                {
                    received.Add(item);
                }
            },
            TaskCreationOptions.LongRunning);

        // Two producers, each in its own order; the consumer must see each one's items in that order.
        var producers = Enumerable.Range(0, 2).Select(p => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                queue.Add((p * 1_000_000) + i);
            }
        })).ToArray();
        await Task.WhenAll(producers);
        queue.CompleteAdding();
        await consumer.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(40_000, received.Count);
        for (var p = 0; p < 2; p++)
        {
            var mine = received.Where(x => x / 1_000_000 == p).ToList();
            Assert.Equal(Enumerable.Range(p * 1_000_000, 20_000), mine);
        }
    }

    [Fact]
    public void Completing_drains_what_is_queued_then_ends_and_refuses_more()
    {
        using var queue = new ApplyQueue<string>(capacity: 8);
        queue.Add("a");
        queue.Add("b");
        queue.CompleteAdding();
        Assert.Equal(["a", "b"], queue.GetConsumingEnumerable().ToList());
        Assert.Throws<InvalidOperationException>(() => queue.Add("c"));
    }

    [Fact]
    public void A_producer_waiting_on_a_full_queue_gives_up_when_cancelled()
    {
        using var queue = new ApplyQueue<int>(capacity: 1);
        queue.Add(1);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.ThrowsAny<OperationCanceledException>(() => queue.Add(2, cancel.Token));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task A_waiting_consumer_wakes_for_an_item_and_for_completion()
    {
        using var queue = new ApplyQueue<int>(capacity: 2);
        var received = new List<int>();
        var consumer = Task.Factory.StartNew(() => received.AddRange(queue.GetConsumingEnumerable()), TaskCreationOptions.LongRunning);
        await Task.Delay(50);
        queue.Add(7);
        await Task.Delay(50);
        queue.CompleteAdding();
        await consumer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([7], received);
    }
}
