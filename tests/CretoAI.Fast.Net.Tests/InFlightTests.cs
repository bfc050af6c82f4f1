using CretoAI.Fast.Net.Tests.Infrastructure;
using CretoAI.Fast.Wire;
using Xunit;

namespace CretoAI.Fast.Net.Tests;

/// <summary>Deferred replies and the per-connection in-flight limit.</summary>
public sealed class InFlightTests
{
    [Fact]
    public async Task Request_over_the_in_flight_limit_gets_TooManyInFlight_and_the_session_stays_usable()
    {
        var handler = new DeferringHandler();
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.MaxInFlightPerConnection = 4), handler);
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        Assert.Equal(4, client.Limits.MaxInFlight);
        using var timeout = FrameIo.Timeout();

        for (uint id = 1; id <= 4; id++)
        {
            await TestServer.SendFrameAsync(client, TestMessages.Slow, id, new byte[] { (byte)id });
        }

        await Eventually.AssertAsync(() => handler.Deferred.Count == 4, "four requests deferred");
        await TestServer.SendFrameAsync(client, TestMessages.Slow, 5, new byte[] { 5 });

        var refused = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(WireErrorCode.TooManyInFlight, refused.ErrorCode);
        Assert.Equal(5u, refused.CorrelationId);
        Assert.Equal(1, handler.Refused);
        Assert.Equal(1, server.Counters.Errors(WireErrorCode.TooManyInFlight));

        // Still usable: pings are answered, and still full: a sixth slow request is refused too.
        Assert.Equal([1], await client.PingAsync(new byte[] { 1 }, timeout.Token));
        await TestServer.SendFrameAsync(client, TestMessages.Slow, 6, new byte[] { 6 });
        var again = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(WireErrorCode.TooManyInFlight, again.ErrorCode);
        Assert.Equal(6u, again.CorrelationId);

        // Answering one frees one slot.
        Assert.True(handler.Deferred.TryDequeue(out var first));
        Assert.Equal(4, first.Context.InFlight);
        Assert.True(await first.Context.CompleteAsync(first.Reply, TestMessages.SlowReply, first.Payload, timeout.Token));
        Assert.Equal(3, first.Context.InFlight);
        var answer = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(TestMessages.SlowReply, answer.Type);
        Assert.Equal(first.Reply.CorrelationId, answer.CorrelationId);
        Assert.True(answer.Header.IsResponse);

        await TestServer.SendFrameAsync(client, TestMessages.Slow, 7, new byte[] { 7 });
        await Eventually.AssertAsync(() => handler.Deferred.Count == 4, "the seventh request is deferred");
        Assert.Equal(2, handler.Refused);
    }

    [Fact]
    public async Task Replies_completed_on_other_threads_reach_the_client()
    {
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.MaxInFlightPerConnection = 64), new BackgroundEchoHandler());
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();
        const int Count = 64;

        for (uint id = 1; id <= Count; id++)
        {
            FrameEncoder.Write(client.Output, TestMessages.Slow, FrameFlags.None, id, FrameIo.Pattern(16, (int)id));
        }

        await client.Output.FlushAsync(timeout.Token);

        // Answers come back in any order, each exactly once with its own payload.
        var seen = new HashSet<uint>();
        for (var i = 0; i < Count; i++)
        {
            var reply = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
            Assert.Equal(TestMessages.SlowReply, reply.Type);
            Assert.True(seen.Add(reply.CorrelationId), $"reply {reply.CorrelationId} twice");
            Assert.InRange<uint>(reply.CorrelationId, 1, Count);
            Assert.Equal(FrameIo.Pattern(16, (int)reply.CorrelationId), reply.Payload);
        }

        Assert.Equal(0, server.Counters.Errors(WireErrorCode.TooManyInFlight));
        Assert.Equal([3], await client.PingAsync(new byte[] { 3 }, timeout.Token));
    }

    [Fact]
    public async Task Completing_after_the_connection_closed_returns_false()
    {
        var handler = new DeferringHandler();
        var (server, endpoint) = TestServer.Start(handler: handler);
        await using var _ = server;
        var client = await TestServer.ConnectAsync(endpoint);
        await TestServer.SendFrameAsync(client, TestMessages.Slow, 1, new byte[] { 1 });
        await Eventually.AssertAsync(() => handler.Deferred.Count == 1, "the request is deferred");

        await client.DisposeAsync();
        await Eventually.AssertAsync(() => server.ActiveConnections == 0, "the server notices the close");

        Assert.True(handler.Deferred.TryDequeue(out var pending));
        using var timeout = FrameIo.Timeout();
        Assert.False(await pending.Context.CompleteAsync(pending.Reply, TestMessages.SlowReply, pending.Payload, timeout.Token));
        Assert.Equal(0, pending.Context.InFlight);
    }

    [Fact]
    public async Task Completing_with_a_cancelled_token_throws_and_leaves_the_connection_usable()
    {
        var handler = new DeferringHandler();
        var (server, endpoint) = TestServer.Start(handler: handler);
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        await TestServer.SendFrameAsync(client, TestMessages.Slow, 1, new byte[] { 1 });
        await Eventually.AssertAsync(() => handler.Deferred.Count == 1, "the request is deferred");
        Assert.True(handler.Deferred.TryDequeue(out var pending));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await pending.Context.CompleteAsync(pending.Reply, TestMessages.SlowReply, pending.Payload, new CancellationToken(canceled: true)));

        // Not answered, so still in flight; the write lock is intact, so the retry and pings work.
        Assert.Equal(1, pending.Context.InFlight);
        using var timeout = FrameIo.Timeout();
        Assert.True(await pending.Context.CompleteAsync(pending.Reply, TestMessages.SlowReply, pending.Payload, timeout.Token));
        var reply = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(TestMessages.SlowReply, reply.Type);
        Assert.Equal(1u, reply.CorrelationId);
        Assert.Equal([2], await client.PingAsync(new byte[] { 2 }, timeout.Token));
        Assert.Equal(0, pending.Context.InFlight);
    }

    [Fact]
    public async Task Completing_a_deferred_reply_twice_sends_one_reply_and_frees_one_slot()
    {
        var handler = new DeferringHandler();
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.MaxInFlightPerConnection = 2), handler);
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();
        await TestServer.SendFrameAsync(client, TestMessages.Slow, 1, new byte[] { 1 });
        await TestServer.SendFrameAsync(client, TestMessages.Slow, 2, new byte[] { 2 });
        await Eventually.AssertAsync(() => handler.Deferred.Count == 2, "two requests deferred");
        Assert.True(handler.Deferred.TryDequeue(out var first));

        Assert.True(await first.Context.CompleteAsync(first.Reply, TestMessages.SlowReply, first.Payload, timeout.Token));
        Assert.False(await first.Context.CompleteAsync(first.Reply, TestMessages.SlowReply, first.Payload, timeout.Token));
        Assert.Equal(1, first.Context.InFlight);

        // Exactly one reply for id 1, then the Pong: no duplicate in between.
        var reply = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(1u, reply.CorrelationId);
        Assert.Equal([9], await client.PingAsync(new byte[] { 9 }, timeout.Token));

        // The limit still holds: one slot free, so one more is deferred and the next refused.
        await TestServer.SendFrameAsync(client, TestMessages.Slow, 3, new byte[] { 3 });
        await TestServer.SendFrameAsync(client, TestMessages.Slow, 4, new byte[] { 4 });
        var refused = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(WireErrorCode.TooManyInFlight, refused.ErrorCode);
        Assert.Equal(4u, refused.CorrelationId);
    }

    [Fact]
    public async Task A_session_waiting_on_its_deferred_replies_is_not_closed_as_idle()
    {
        var handler = new DeferringHandler();
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.IdleTimeout = TimeSpan.FromSeconds(1)), handler);
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();
        await TestServer.SendFrameAsync(client, TestMessages.Slow, 1, new byte[] { 1 });
        await Eventually.AssertAsync(() => handler.Deferred.Count == 1, "the request is deferred");

        // Three idle timeouts pass while the reply is pending; the server's idle check runs every 250 ms.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(0, server.Counters.Errors(WireErrorCode.IdleTimeout));
        Assert.True(handler.Deferred.TryDequeue(out var pending));
        Assert.True(await pending.Context.CompleteAsync(pending.Reply, TestMessages.SlowReply, pending.Payload, timeout.Token));
        var reply = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(TestMessages.SlowReply, reply.Type);

        // With nothing in flight the idle rule applies again.
        var closing = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        Assert.Equal(WireErrorCode.IdleTimeout, closing.ErrorCode);
    }

    [Fact]
    public async Task Completing_many_at_once_sends_each_answer_once_and_skips_those_already_answered()
    {
        var handler = new DeferringHandler();
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.MaxInFlightPerConnection = 8), handler);
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();
        for (uint id = 1; id <= 5; id++)
        {
            await TestServer.SendFrameAsync(client, TestMessages.Slow, id, new byte[] { (byte)id });
        }

        await Eventually.AssertAsync(() => handler.Deferred.Count == 5, "five requests deferred");
        var pending = handler.Deferred.ToArray();
        var context = pending[0].Context;

        // The first is answered on its own; the batch then names it again with the other four.
        Assert.True(await context.CompleteAsync(pending[0].Reply, TestMessages.SlowReply, pending[0].Payload, timeout.Token));
        var answers = pending.Select(p => new DeferredAnswer(p.Reply, TestMessages.SlowReply, p.Payload.Concat(p.Payload).ToArray())).ToList();
        Assert.Equal(4, await context.CompleteAllAsync(answers, timeout.Token));
        Assert.Equal(0, context.InFlight);
        Assert.Equal(0, await context.CompleteAllAsync(answers, timeout.Token));

        var seen = new Dictionary<uint, byte[]>();
        for (var i = 0; i < 5; i++)
        {
            var reply = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
            Assert.Equal(TestMessages.SlowReply, reply.Type);
            Assert.True(seen.TryAdd(reply.CorrelationId, reply.Payload), $"reply {reply.CorrelationId} twice");
        }

        Assert.Equal(new byte[] { 1 }, seen[1]);
        for (uint id = 2; id <= 5; id++)
        {
            Assert.Equal(new[] { (byte)id, (byte)id }, seen[id]);
        }

        // Nothing more was sent: the next frame is the answer to this ping.
        Assert.Equal([9], await client.PingAsync(new byte[] { 9 }, timeout.Token));
    }
}
