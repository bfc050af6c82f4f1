using System.Net;
using System.Net.Sockets;
using CretoAI.Fast.Core;
using CretoAI.Fast.Net.Client;
using CretoAI.Fast.Net.Tests.Infrastructure;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Client;
using CretoAI.Fast.Wire.Transactions;
using Xunit;

namespace CretoAI.Fast.Net.Tests;

/// <summary><see cref="NodeClient"/> against an in-process <see cref="FrameServer"/> serving the client protocol from <see cref="FakeNode"/>.</summary>
public sealed class NodeClientTests
{
    private static (FrameServer Server, IPEndPoint Endpoint, FakeNode Node) StartNode(Action<TransportOptions>? configure = null)
    {
        var node = new FakeNode(TestKeys.ChainId, TestKeys.Server.NodeId);
        var (server, endpoint) = TestServer.Start(TestServer.Options(configure), node);
        return (server, endpoint, node);
    }

    private static Task<NodeClient> ConnectAsync(IPEndPoint endpoint, Action<NodeClientOptions>? configure = null)
    {
        var options = new NodeClientOptions { ConnectTimeout = Eventually.Deadline, Verifier = TestKeys.Verifier };
        configure?.Invoke(options);
        return NodeClient.ConnectAsync(endpoint, TestKeys.Client, options);
    }

    private static byte[] Envelope(int seed)
    {
        var bytes = new byte[SignedTransaction.EncodedLength(8)];
        var key = new byte[SignedTransaction.PublicKeySize];
        SignedTransaction.WriteUnsigned(bytes, TransactionKind.Payload, (ulong)seed, TestKeys.ChainId, key, BitConverter.GetBytes((long)seed));
        return bytes;
    }

    [Fact]
    public async Task Status_learns_the_chain_and_reads_every_field()
    {
        var (server, endpoint, node) = StartNode();
        await using var _ = server;
        node.Commit();
        node.Commit(new TransactionResultEntry(Hash32.Parse(new string('1', 64)), TransactionVerdicts.Applied, null));
        node.MempoolTransactions = 12;
        await using var client = await ConnectAsync(endpoint);

        Assert.Equal(TestKeys.ChainId, client.ChainId);
        Assert.Equal(TestKeys.Server.NodeId, client.Server.Id);
        using var timeout = FrameIo.Timeout();
        var status = await client.StatusAsync(timeout.Token);
        Assert.Equal(node.Status(), status);
        Assert.Equal(2UL, status.Height);
        Assert.Equal(12, status.MempoolTransactions);
        Assert.Equal(1UL, status.CommittedTransactions);
    }

    [Fact]
    public async Task A_pinned_chain_id_is_enforced()
    {
        var (server, endpoint, _) = StartNode();
        await using var _s = server;
        await using (var pinned = await ConnectAsync(endpoint, o => o.ChainId = TestKeys.ChainId))
        {
            Assert.Equal(TestKeys.ChainId, pinned.ChainId);
        }

        var ex = await Assert.ThrowsAsync<WireException>(() => ConnectAsync(endpoint, o => o.ChainId = TestKeys.OtherChainId));
        Assert.Equal(WireErrorCode.ChainIdMismatch, ex.Code);
    }

    [Fact]
    public async Task Pipelined_submissions_are_matched_to_their_answers_and_written_in_batches()
    {
        var (server, endpoint, node) = StartNode(o => o.MaxInFlightPerConnection = 64);
        await using var _ = server;
        await using var client = await ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();

        // More requests than the node's in-flight limit: the client holds the excess back instead
        // of drawing TooManyInFlight refusals.
        const int Count = 1000;
        var envelopes = Enumerable.Range(1, Count).Select(Envelope).ToArray();
        var results = await Task.WhenAll(envelopes.Select(e => client.SubmitAsync(e, timeout.Token)));

        for (var i = 0; i < Count; i++)
        {
            Assert.Equal(SubmitStatus.Accepted, results[i].Status);
            Assert.Equal(TransactionIds.Of(envelopes[i]), results[i].TransactionId);
        }

        Assert.Equal(Count, node.Submitted.Count);
        Assert.Equal(0, server.Counters.Errors(WireErrorCode.TooManyInFlight));
        Assert.True(client.BatchesWritten < client.FramesWritten, $"{client.FramesWritten} frames in {client.BatchesWritten} flushes");
    }

    [Fact]
    public async Task Requests_beyond_the_in_flight_limit_wait_for_a_slot()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (server, endpoint, node) = StartNode(o => o.MaxInFlightPerConnection = 4);
        node.SubmitGate = gate.Task;
        await using var _ = server;
        await using var client = await ConnectAsync(endpoint);
        Assert.Equal(4, client.Limits.MaxInFlight);
        using var timeout = FrameIo.Timeout();

        var submissions = Enumerable.Range(1, 20).Select(i => client.SubmitAsync(Envelope(i), timeout.Token)).ToArray();

        // Status takes a slot too, so it waits behind the four held submissions.
        var status = client.StatusAsync(timeout.Token);
        await Eventually.AssertAsync(() => server.Counters.FramesReceived >= 4, "four submissions reach the node");
        Assert.False(status.IsCompleted);
        gate.SetResult();

        var results = await Task.WhenAll(submissions);
        Assert.All(results, r => Assert.Equal(SubmitStatus.Accepted, r.Status));
        Assert.NotNull(await status);
        Assert.Equal(0, server.Counters.Errors(WireErrorCode.TooManyInFlight));
    }

    [Fact]
    public async Task Get_block_returns_the_block_or_null_when_not_committed()
    {
        var (server, endpoint, node) = StartNode();
        await using var _ = server;
        var committed = node.Commit(
            new TransactionResultEntry(Hash32.Parse(new string('a', 64)), TransactionVerdicts.Applied, null),
            new TransactionResultEntry(Hash32.Parse(new string('b', 64)), TransactionVerdicts.Rejected, "nonce 3 already used"));
        await using var client = await ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();

        var block = await client.GetBlockAsync(1, timeout.Token);
        Assert.NotNull(block);
        Assert.Equal(committed.BlockHash, block.BlockHash);
        Assert.Equal(committed.Transactions, block.Transactions);
        Assert.Null(await client.GetBlockAsync(2, timeout.Token));
        Assert.Null(await client.GetBlockAsync(ulong.MaxValue, timeout.Token));
    }

    [Fact]
    public async Task Subscription_replays_from_a_height_then_follows_live_commits_in_order()
    {
        var (server, endpoint, node) = StartNode();
        await using var _ = server;
        for (var i = 0; i < 3; i++)
        {
            node.Commit();
        }

        await using var client = await ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();
        var heights = new List<ulong>();
        await foreach (var block in client.SubscribeAsync(2, timeout.Token))
        {
            heights.Add(block.Height);
            if (block.Height == 3)
            {
                // Caught up with history; the next ones are committed while we listen.
                node.Commit();
                node.Commit();
            }

            if (block.Height == 5)
            {
                break;
            }
        }

        Assert.Equal([2UL, 3, 4, 5], heights);

        // Leaving the loop cancelled the stream at the node.
        Assert.True(node.Streams.TryPeek(out var opened));
        await Eventually.AssertAsync(() => opened.Stream.IsClosed, "the node's stream ends when the consumer stops");
        Assert.Equal(2UL, opened.FromHeight);

        // The connection serves on.
        Assert.Equal(5UL, (await client.StatusAsync(timeout.Token)).Height);
    }

    [Fact]
    public async Task Live_subscription_starts_after_the_current_height()
    {
        var (server, endpoint, node) = StartNode();
        await using var _ = server;
        node.Commit();
        await using var client = await ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();

        await using var notices = client.SubscribeAsync(SubscribeMessage.Live, timeout.Token).GetAsyncEnumerator(timeout.Token);
        var next = notices.MoveNextAsync();
        await Eventually.AssertAsync(() => !node.Streams.IsEmpty, "the subscription reaches the node");
        node.Commit();
        Assert.True(await next);
        Assert.Equal(2UL, notices.Current.Height);
    }

    [Fact]
    public async Task A_consumer_that_falls_behind_gets_its_buffered_notices_then_an_overflow()
    {
        var (server, endpoint, node) = StartNode();
        await using var _ = server;
        await using var client = await ConnectAsync(endpoint, o => o.SubscriptionBuffer = 4);
        using var timeout = FrameIo.Timeout();

        await using var notices = client.SubscribeAsync(1, timeout.Token).GetAsyncEnumerator(timeout.Token);
        var first = notices.MoveNextAsync();
        await Eventually.AssertAsync(() => !node.Streams.IsEmpty, "the subscription reaches the node");

        // Twenty commits while the consumer takes at most the first notice.
        for (var i = 0; i < 20; i++)
        {
            node.Commit();
        }

        Assert.True(node.Streams.TryPeek(out var opened));
        await Eventually.AssertAsync(() => opened.Stream.IsClosed, "the client tells the node to end the overflowing stream");
        Assert.True(await first);

        var received = new List<ulong> { notices.Current.Height };
        var overflow = await Assert.ThrowsAsync<SubscriptionOverflowException>(async () =>
        {
            while (await notices.MoveNextAsync())
            {
                received.Add(notices.Current.Height);
            }
        });

        // Everything buffered is delivered, in order, from the first height; then the overflow says
        // where to resubscribe. (The pending first read may or may not have taken notice 1 before
        // the buffer filled, so 4 or 5 notices arrive.)
        Assert.InRange(received.Count, 4, 5);
        Assert.Equal(Enumerable.Range(1, received.Count).Select(h => (ulong)h), received);
        Assert.Equal(received[^1] + 1, overflow.NextHeight);
        Assert.Equal(4, overflow.Buffered);
    }

    [Fact]
    public async Task Errors_from_the_node_carry_its_code()
    {
        // A server with no handler answers every client message with UnknownMessageType.
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var client = await ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();

        var ex = await Assert.ThrowsAsync<WireException>(() => client.StatusAsync(timeout.Token));
        Assert.Equal(WireErrorCode.UnknownMessageType, ex.Code);
        Assert.True(ex.ReportedByPeer);
        var streamError = await Assert.ThrowsAsync<WireException>(async () =>
        {
            await foreach (var block in client.SubscribeAsync(1, timeout.Token))
            {
                Assert.Fail($"no block expected, got {block.Height}");
            }
        });
        Assert.Equal(WireErrorCode.UnknownMessageType, streamError.Code);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task A_cancelled_call_stops_waiting_and_the_client_stays_usable()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (server, endpoint, node) = StartNode();
        node.SubmitGate = gate.Task;
        await using var _ = server;
        await using var client = await ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();

        using var cancel = new CancellationTokenSource();
        var submit = client.SubmitAsync(Envelope(1), cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => submit);
        gate.SetResult();

        Assert.Equal(0UL, (await client.StatusAsync(timeout.Token)).Height);
        Assert.Equal(SubmitStatus.Accepted, (await client.SubmitAsync(Envelope(2), timeout.Token)).Status);
    }

    [Fact]
    public async Task A_node_that_stops_fails_outstanding_calls_and_subscriptions()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (server, endpoint, node) = StartNode(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200));
        node.SubmitGate = gate.Task;
        await using var client = await ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();

        var submit = client.SubmitAsync(Envelope(1), timeout.Token);
        var follow = Task.Run(async () =>
        {
            await foreach (var block in client.SubscribeAsync(1, timeout.Token))
            {
                Assert.Fail($"no block expected, got {block.Height}");
            }
        });
        await Eventually.AssertAsync(() => !node.Streams.IsEmpty, "the subscription reaches the node");

        await server.DisposeAsync();

        var failed = await Assert.ThrowsAnyAsync<Exception>(() => submit);
        Assert.True(failed is WireException or IOException, failed.ToString());
        var ended = await Assert.ThrowsAnyAsync<Exception>(() => follow);
        Assert.True(ended is WireException { Code: WireErrorCode.ShuttingDown } or IOException, ended.ToString());
        await client.Completion.WaitAsync(timeout.Token);
        Assert.False(client.IsConnected);
        await Assert.ThrowsAnyAsync<Exception>(() => client.StatusAsync(timeout.Token));
        gate.SetResult();
    }

    [Fact]
    public async Task Disposing_ends_subscriptions_quietly_and_fails_later_calls()
    {
        var (server, endpoint, node) = StartNode();
        await using var _ = server;
        var client = await ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();
        var follow = Task.Run(async () =>
        {
            var count = 0;
            await foreach (var block in client.SubscribeAsync(1, timeout.Token))
            {
                count++;
            }

            return count;
        });
        await Eventually.AssertAsync(() => !node.Streams.IsEmpty, "the subscription reaches the node");

        await client.DisposeAsync();

        Assert.Equal(0, await follow.WaitAsync(timeout.Token));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.StatusAsync(timeout.Token));
        await client.DisposeAsync();
    }

    [Fact]
    public async Task Connecting_to_a_closed_port_throws_a_socket_error()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var ex = await Assert.ThrowsAsync<SocketException>(() => ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)));
        Assert.Equal(SocketError.ConnectionRefused, ex.SocketErrorCode);
    }
}
