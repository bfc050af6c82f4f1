using CretoAI.Fast.Core;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Routing.Router;

namespace CretoAI.Fast.Routing.Tests.Router;

public sealed class MessageRouterTests
{
    private readonly FakeDirectory _directory = new();
    private readonly RecordingOutput _output = new();
    private readonly RouterSettings _settings = new()
    {
        MailboxMaxMessages = 3,
        MessageTtlMs = 10_000,
        RedeliverAfterMs = 1_000,
        PresenceTtlMs = 5_000,
        PresenceRefreshMs = 1_000,
        RateMinPerSecond = 10,
        RateMaxPerSecond = 20,
        RateBurstSeconds = 1,
        FanOutCost = 5,
    };

    private MessageRouter NewRouter(int self = 0, int nodes = 1) => new(_settings, _directory, _output, self, nodes);

    private AgentSession LoggedIn(MessageRouter router, int agent, params string[] tags)
    {
        _directory.Set(Agents.Id(agent), AgentStatus.Active, 0, tags);
        var session = new AgentSession(Agents.Id(agent), ReadOnlyMemory<byte>.Empty, $"connection {agent}");
        Assert.Equal(AgentLoginStatus.Ok, router.Login(session, 0));
        return session;
    }

    [Fact]
    public void Login_is_refused_for_unknown_suspended_and_revoked_agents()
    {
        var router = NewRouter();
        Assert.Equal(AgentLoginStatus.NotRegistered, router.Login(new AgentSession(Agents.Id(1), default, "c"), 0));
        _directory.Set(Agents.Id(2), AgentStatus.Suspended);
        Assert.Equal(AgentLoginStatus.Suspended, router.Login(new AgentSession(Agents.Id(2), default, "c"), 0));
        _directory.Set(Agents.Id(3), AgentStatus.Revoked);
        Assert.Equal(AgentLoginStatus.Revoked, router.Login(new AgentSession(Agents.Id(3), default, "c"), 0));
        Assert.Equal(0, router.ConnectedAgents);
        LoggedIn(router, 4);
        Assert.Equal(1, router.ConnectedAgents);
    }

    [Fact]
    public void Logins_beyond_the_agent_limit_are_refused()
    {
        _settings.MaxAgents = 1;
        var router = NewRouter();
        LoggedIn(router, 1);
        _directory.Set(Agents.Id(2), AgentStatus.Active);
        Assert.Equal(AgentLoginStatus.TooManyAgents, router.Login(new AgentSession(Agents.Id(2), default, "c"), 0));
    }

    [Fact]
    public void Sender_checks_refuse_logged_out_suspended_revoked_and_over_budget_senders()
    {
        var router = NewRouter();
        var notLoggedIn = new AgentSession(Agents.Id(9), default, "c");
        Assert.Equal(RouteStatus.NotLoggedIn, router.CheckSender(notLoggedIn, 1, 0, out _));

        var sender = LoggedIn(router, 1);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(RouteStatus.Delivered, router.CheckSender(sender, 1, 0, out _));
        }

        Assert.Equal(RouteStatus.RateLimited, router.CheckSender(sender, 1, 0, out var detail));
        Assert.Contains("10 messages per second", detail, StringComparison.Ordinal);
        Assert.Equal(RouteStatus.Delivered, router.CheckSender(sender, 1, 100, out _));

        _directory.Set(Agents.Id(1), AgentStatus.Suspended);
        Assert.Equal(RouteStatus.SenderSuspended, router.CheckSender(sender, 1, 10_000, out _));
        _directory.Set(Agents.Id(1), AgentStatus.Revoked);
        Assert.Equal(RouteStatus.SenderRevoked, router.CheckSender(sender, 1, 10_000, out _));
        Assert.Equal(1, router.Counters.Answered(RouteStatus.RateLimited));
        Assert.Equal(1, router.Counters.Answered(RouteStatus.SenderRevoked));
    }

    [Fact]
    public void A_better_reputation_buys_a_larger_budget()
    {
        var router = NewRouter();
        var low = LoggedIn(router, 1);
        _directory.Set(Agents.Id(2), AgentStatus.Active, 1_000_000);
        var high = new AgentSession(Agents.Id(2), default, "c");
        router.Login(high, 0);
        var lowSent = 0;
        var highSent = 0;
        while (router.CheckSender(low, 1, 0, out _) == RouteStatus.Delivered)
        {
            lowSent++;
        }

        while (router.CheckSender(high, 1, 0, out _) == RouteStatus.Delivered)
        {
            highSent++;
        }

        Assert.Equal(10, lowSent);
        Assert.Equal(20, highSent);
    }

    [Fact]
    public void A_local_message_is_delivered_acknowledged_and_answered_once()
    {
        var router = NewRouter();
        LoggedIn(router, 1);
        var recipient = LoggedIn(router, 2);
        var waiter = new object();
        var message = Agents.Message(1, 7, 2);
        Assert.Null(router.Route(message, waiter, 0, out _));
        Assert.Same(recipient, Assert.Single(_output.Woken));

        Assert.True(router.TryTakeForDelivery(recipient, 0, out var taken));
        Assert.Same(message, taken);
        Assert.False(router.TryTakeForDelivery(recipient, 0, out _)); // in flight: nothing more to hand out
        Assert.Empty(_output.Completed);

        Assert.True(router.Acknowledge(recipient, message.Key, 10));
        var done = Assert.Single(_output.Completed);
        Assert.Same(waiter, done.Waiter);
        Assert.Equal(RouteStatus.Delivered, done.Status);
        Assert.Equal(0, router.MailboxDepth(Agents.Id(2)));
        Assert.False(router.Acknowledge(recipient, message.Key, 11)); // a repeated ack changes nothing
        Assert.Single(_output.Completed);

        // The same message id again is answered at once and not delivered twice.
        Assert.Equal(RouteStatus.Delivered, router.Route(Agents.Message(1, 7, 2), new object(), 20, out var detail));
        Assert.Contains("already acknowledged", detail, StringComparison.Ordinal);
        Assert.Equal(0, router.MailboxDepth(Agents.Id(2)));
        Assert.Equal(1, router.Counters.Delivered);
    }

    [Fact]
    public void Unknown_and_inactive_recipients_are_refused()
    {
        var router = NewRouter();
        LoggedIn(router, 1);
        Assert.Equal(RouteStatus.UnknownRecipient, router.Route(Agents.Message(1, 1, 5), new object(), 0, out var detail));
        Assert.Contains("no agent", detail, StringComparison.Ordinal);
        _directory.Set(Agents.Id(6), AgentStatus.Revoked);
        Assert.Equal(RouteStatus.RecipientInactive, router.Route(Agents.Message(1, 2, 6), new object(), 0, out detail));
        Assert.Contains("revoked", detail, StringComparison.Ordinal);
        Assert.Equal(1, router.Counters.Answered(RouteStatus.UnknownRecipient));
    }

    [Fact]
    public void A_full_mailbox_refuses_with_MailboxFull_and_holds_no_more()
    {
        var router = NewRouter();
        LoggedIn(router, 1);
        _directory.Set(Agents.Id(2), AgentStatus.Active); // registered, offline
        for (ulong i = 1; i <= 3; i++)
        {
            Assert.Null(router.Route(Agents.Message(1, i, 2), new object(), 0, out _));
        }

        Assert.Equal(RouteStatus.MailboxFull, router.Route(Agents.Message(1, 4, 2), new object(), 0, out var detail));
        Assert.Contains("full", detail, StringComparison.Ordinal);
        Assert.Equal(3, router.MailboxDepth(Agents.Id(2)));
        Assert.Equal(300, router.QueuedBytes);
    }

    [Fact]
    public void The_mailbox_byte_bound_and_the_node_byte_bound_hold()
    {
        _settings.MaxPayloadBytes = 100;
        _settings.MailboxMaxBytes = 250;
        _settings.MaxQueuedBytes = 400;
        _settings.MailboxMaxMessages = 100;
        var router = NewRouter();
        _directory.Set(Agents.Id(2), AgentStatus.Active);
        _directory.Set(Agents.Id(3), AgentStatus.Active);
        Assert.Null(router.Route(Agents.Message(1, 1, 2), new object(), 0, out _));
        Assert.Null(router.Route(Agents.Message(1, 2, 2), new object(), 0, out _));
        Assert.Equal(RouteStatus.MailboxFull, router.Route(Agents.Message(1, 3, 2), new object(), 0, out _));
        Assert.Null(router.Route(Agents.Message(1, 4, 3), new object(), 0, out _));
        Assert.Null(router.Route(Agents.Message(1, 5, 3), new object(), 0, out _));
        Assert.Equal(RouteStatus.Busy, router.Route(Agents.Message(1, 6, 3, size: 50), new object(), 0, out _));
    }

    [Fact]
    public void A_message_for_an_offline_agent_waits_for_its_login()
    {
        var router = NewRouter();
        _directory.Set(Agents.Id(2), AgentStatus.Active);
        var waiter = new object();
        Assert.Null(router.Route(Agents.Message(1, 1, 2), waiter, 0, out _));
        Assert.Empty(_output.Woken);

        var recipient = new AgentSession(Agents.Id(2), default, "c");
        router.Login(recipient, 100);
        Assert.Same(recipient, Assert.Single(_output.Woken));
        Assert.True(router.TryTakeForDelivery(recipient, 100, out var message));
        router.Acknowledge(recipient, message!.Key, 200);
        Assert.Equal(RouteStatus.Delivered, Assert.Single(_output.Completed).Status);
    }

    [Fact]
    public void An_unacknowledged_message_expires_and_its_sender_is_told()
    {
        var router = NewRouter();
        _directory.Set(Agents.Id(2), AgentStatus.Active);
        var waiter = new object();
        router.Route(Agents.Message(1, 1, 2), waiter, 0, out _);
        router.Tick(9_999);
        Assert.Empty(_output.Completed);
        router.Tick(10_000);
        var done = Assert.Single(_output.Completed);
        Assert.Equal(RouteStatus.Expired, done.Status);
        Assert.Same(waiter, done.Waiter);
        Assert.Equal(0, router.MailboxDepth(Agents.Id(2)));
        Assert.Equal(0, router.QueuedBytes);
        Assert.Equal(1, router.Counters.Answered(RouteStatus.Expired));
    }

    [Fact]
    public void A_delivered_but_unacknowledged_message_is_delivered_again()
    {
        var router = NewRouter();
        var recipient = LoggedIn(router, 2);
        router.Route(Agents.Message(1, 1, 2), new object(), 0, out _);
        Assert.True(router.TryTakeForDelivery(recipient, 0, out var first));
        Assert.False(router.TryTakeForDelivery(recipient, 0, out _));
        _output.Woken.Clear();
        router.Tick(999);
        Assert.Empty(_output.Woken);
        router.Tick(1_000);
        Assert.Single(_output.Woken);
        Assert.True(router.TryTakeForDelivery(recipient, 1_000, out var second));
        Assert.Same(first, second);
        Assert.Equal(2, second!.Attempts);
        Assert.Equal(1, router.Counters.Redelivered);
    }

    [Fact]
    public void A_logout_puts_in_flight_messages_back_for_the_next_login()
    {
        var router = NewRouter();
        var first = LoggedIn(router, 2);
        router.Route(Agents.Message(1, 1, 2), new object(), 0, out _);
        Assert.True(router.TryTakeForDelivery(first, 0, out _));
        router.Logout(first);
        Assert.Equal(0, router.ConnectedAgents);
        Assert.Equal(1, router.MailboxDepth(Agents.Id(2)));
        var second = new AgentSession(Agents.Id(2), default, "c2");
        router.Login(second, 10);
        Assert.True(router.TryTakeForDelivery(second, 10, out var again));
        Assert.Equal(2, again!.Attempts);
    }

    [Fact]
    public void A_second_login_replaces_the_first()
    {
        var router = NewRouter();
        var first = LoggedIn(router, 2);
        var second = new AgentSession(Agents.Id(2), default, "c2");
        Assert.Equal(AgentLoginStatus.Ok, router.Login(second, 0));
        Assert.Same(first, Assert.Single(_output.ReplacedSessions));
        Assert.False(first.IsLoggedIn);
        Assert.Equal(1, router.ConnectedAgents);
        router.Logout(first); // the old connection closing later does not log the new one out
        Assert.True(second.IsLoggedIn);
        Assert.Equal(1, router.ConnectedAgents);
    }

    [Fact]
    public void A_retry_with_the_same_id_supersedes_the_first_waiter_and_travels_once()
    {
        var router = NewRouter();
        _directory.Set(Agents.Id(2), AgentStatus.Active);
        var first = new object();
        var second = new object();
        router.Route(Agents.Message(1, 1, 2), first, 0, out _);
        Assert.Null(router.Route(Agents.Message(1, 1, 2), second, 0, out _));
        Assert.Equal(1, router.MailboxDepth(Agents.Id(2)));
        var superseded = Assert.Single(_output.Completed);
        Assert.Same(first, superseded.Waiter);
        Assert.Equal(RouteStatus.Superseded, superseded.Status);
        var recipient = new AgentSession(Agents.Id(2), default, "c");
        router.Login(recipient, 0);
        router.TryTakeForDelivery(recipient, 0, out var message);
        router.Acknowledge(recipient, message!.Key, 0);
        Assert.Same(second, _output.Completed[^1].Waiter);
        Assert.Equal(RouteStatus.Delivered, _output.Completed[^1].Status);
    }

    [Fact]
    public void A_message_for_an_agent_on_another_node_is_forwarded_and_answered_by_that_node()
    {
        var router = NewRouter(self: 0, nodes: 4);
        _directory.Set(Agents.Id(2), AgentStatus.Active);
        router.OnPresence(3, Agents.Id(2), present: true, 0);
        var waiter = new object();
        var message = Agents.Message(1, 1, 2);
        Assert.Null(router.Route(message, waiter, 0, out _));
        var forward = Assert.Single(_output.Forwards);
        Assert.Equal(3, forward.Node);
        Assert.Same(message, forward.Message);

        router.OnForwardResult(3, new DeliveryKey(Agents.Id(2), message.Key), RouteStatus.Delivered, 50);
        Assert.Equal(RouteStatus.Delivered, Assert.Single(_output.Completed).Status);
        Assert.Equal(0, router.MailboxDepth(Agents.Id(2)));

        // A retry of the same id is now answered from the window.
        Assert.Equal(RouteStatus.Delivered, router.Route(Agents.Message(1, 1, 2), new object(), 60, out _));
    }

    [Fact]
    public void NotHere_withdraws_stale_presence_and_the_message_waits_for_a_new_announcement()
    {
        var router = NewRouter(self: 0, nodes: 4);
        _directory.Set(Agents.Id(2), AgentStatus.Active);
        router.OnPresence(1, Agents.Id(2), present: true, 0);
        var message = Agents.Message(1, 1, 2);
        router.Route(message, new object(), 0, out _);
        router.OnForwardResult(1, new DeliveryKey(Agents.Id(2), message.Key), RouteStatus.NotHere, 10);
        Assert.Single(_output.Forwards);
        Assert.Equal(1, router.MailboxDepth(Agents.Id(2)));
        Assert.Empty(_output.Completed);

        router.OnPresence(2, Agents.Id(2), present: true, 20);
        Assert.Equal(2, _output.Forwards.Count);
        Assert.Equal(2, _output.Forwards[^1].Node);
    }

    [Fact]
    public void An_unanswered_forward_is_sent_again_and_presence_expires()
    {
        var router = NewRouter(self: 0, nodes: 2);
        _directory.Set(Agents.Id(2), AgentStatus.Active);
        router.OnPresence(1, Agents.Id(2), present: true, 0);
        router.Route(Agents.Message(1, 1, 2), new object(), 0, out _);
        router.Tick(1_000);
        Assert.Equal(2, _output.Forwards.Count);
        Assert.Equal(1, router.KnownRemoteAgents);
        router.Tick(5_000);
        Assert.Equal(0, router.KnownRemoteAgents);
        router.Tick(7_000); // presence gone: held here, not forwarded again
        Assert.Equal(2, _output.Forwards.Count);
        Assert.Equal(1, router.MailboxDepth(Agents.Id(2)));
    }

    [Fact]
    public void A_forwarded_message_is_delivered_here_and_answered_to_its_node()
    {
        var router = NewRouter(self: 1, nodes: 4);
        var recipient = LoggedIn(router, 2);
        var message = Agents.Message(1, 1, 2);
        router.OnForwarded(0, message, 0);
        Assert.True(router.TryTakeForDelivery(recipient, 0, out _));
        router.Acknowledge(recipient, message.Key, 5);
        var result = Assert.Single(_output.ForwardResults);
        Assert.Equal((0, RouteStatus.Delivered), (result.Node, result.Status));

        router.OnForwarded(3, Agents.Message(1, 1, 2), 6); // the same message again: answered from the window
        Assert.Equal((3, RouteStatus.Delivered), (_output.ForwardResults[^1].Node, _output.ForwardResults[^1].Status));
        router.OnForwarded(0, Agents.Message(1, 2, 9), 7); // not logged in here
        Assert.Equal(RouteStatus.NotHere, _output.ForwardResults[^1].Status);
    }

    [Fact]
    public void Forwarded_messages_go_back_to_their_node_when_the_recipient_logs_out()
    {
        var router = NewRouter(self: 1, nodes: 2);
        var recipient = LoggedIn(router, 2);
        router.OnForwarded(0, Agents.Message(1, 1, 2), 0);
        router.Logout(recipient);
        Assert.Equal(RouteStatus.NotHere, Assert.Single(_output.ForwardResults).Status);
        Assert.Equal(0, router.MailboxDepth(Agents.Id(2)));
    }

    [Fact]
    public void Presence_changes_of_local_agents_are_queued_for_gossip()
    {
        var router = NewRouter(self: 0, nodes: 2);
        var session = LoggedIn(router, 2);
        router.Logout(session);
        var changes = new List<(Hash32, bool)>();
        router.TakePresenceChanges(changes, 10, out var refreshAll);
        Assert.Equal([(Agents.Id(2), true), (Agents.Id(2), false)], changes);
        Assert.False(refreshAll);
    }

    [Fact]
    public void A_fan_out_reaches_agents_with_the_tag_but_not_the_sender_and_is_bounded()
    {
        _settings.FanOutMaxRecipients = 2;
        var router = NewRouter(self: 0, nodes: 3);
        LoggedIn(router, 1, "search");
        LoggedIn(router, 2, "search");
        LoggedIn(router, 3, "search", "other");
        LoggedIn(router, 4, "search");
        LoggedIn(router, 5, "other");
        Assert.True(RouterTags.TryEncode("search", out var tag));
        var status = router.FanOut(new RoutedMessage(new MessageKey(Agents.Id(1), 1), tag, new byte[10], true, 0), tag, 0, out var detail);
        Assert.Equal(RouteStatus.FannedOut, status);
        Assert.Contains("queued for 2 agent(s)", detail, StringComparison.Ordinal);
        Assert.Equal(0, router.MailboxDepth(Agents.Id(1)));
        Assert.Equal(0, router.MailboxDepth(Agents.Id(5)));
        Assert.Equal(2, new[] { 2, 3, 4 }.Sum(a => router.MailboxDepth(Agents.Id(a))));
        Assert.Equal([1, 2], _output.Forwards.Select(f => f.Node).Order());
    }

    [Fact]
    public void Mailbox_depths_are_bucketed()
    {
        var router = NewRouter();
        LoggedIn(router, 1);
        _directory.Set(Agents.Id(2), AgentStatus.Active);
        _directory.Set(Agents.Id(3), AgentStatus.Active);
        router.Route(Agents.Message(1, 1, 2), new object(), 0, out _);
        router.Route(Agents.Message(1, 2, 3), new object(), 0, out _);
        router.Route(Agents.Message(1, 3, 3), new object(), 0, out _);
        router.Route(Agents.Message(1, 4, 3), new object(), 0, out _);
        Span<long> buckets = stackalloc long[4]; // 0, 1, 2, more
        router.MailboxDepths(buckets);
        Assert.Equal([1L, 1L, 0L, 1L], buckets.ToArray());
    }
}
