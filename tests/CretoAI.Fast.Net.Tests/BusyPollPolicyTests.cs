using CretoAI.Fast.Net.Sockets;
using Xunit;

namespace CretoAI.Fast.Net.Tests;

/// <summary>
/// The epoll loop's busy-poll decision, driven by a hand-made clock (ticks are plain numbers
/// here): when it polls, how its window grows and shrinks, and that it always returns to a
/// blocking wait.
/// </summary>
public sealed class BusyPollPolicyTests
{
    private const long Budget = 800;
    private const int Poll = 0;
    private const int Block = -1;

    [Fact]
    public void A_fresh_loop_blocks_and_an_idle_one_keeps_blocking()
    {
        var policy = new BusyPollPolicy();
        Assert.Equal(Block, policy.NextTimeout(0));
        Assert.Equal(Block, policy.NextTimeout(1_000_000));
        Assert.Equal(0, policy.Window);
    }

    [Fact]
    public void Requests_that_keep_coming_within_the_budget_grow_the_window_until_a_poll_catches_them()
    {
        var policy = new BusyPollPolicy();
        var clock = new Clock();

        // Each request arrives 500 ticks after the previous batch was handled: blocking waits
        // while the window is shorter than that, then polls that catch it.
        var windows = new List<long>();
        var caught = new List<bool>();
        for (var i = 0; i < 6; i++)
        {
            caught.Add(clock.NextRequest(policy, gap: 500));
            clock.Handle(policy, budget: Budget, oneConnection: true);
            windows.Add(policy.Window);
        }

        // The window starts at an eighth of the budget and doubles, up to the budget.
        Assert.Equal([Budget / 8, Budget / 4, Budget / 2, Budget, Budget, Budget], windows);
        Assert.Equal([false, false, false, false, true, true], caught);
    }

    [Fact]
    public void The_window_stops_growing_once_it_catches_the_requests()
    {
        var policy = new BusyPollPolicy();
        var clock = new Clock();
        for (var i = 0; i < 6; i++)
        {
            clock.NextRequest(policy, gap: 150);
            clock.Handle(policy, budget: Budget, oneConnection: true);
        }

        Assert.Equal(Budget / 4, policy.Window);
    }

    [Fact]
    public void After_a_wake_up_the_loop_polls_until_its_window_ends_then_blocks()
    {
        var policy = WarmedUp(out var clock);
        var handledAt = clock.Now;

        Assert.Equal(Poll, policy.NextTimeout(handledAt));
        Assert.Equal(Poll, policy.NextTimeout(handledAt + Budget - 1));
        Assert.Equal(Block, policy.NextTimeout(handledAt + Budget));

        // Once it has gone back to blocking it does not poll again before the next wake-up.
        Assert.Equal(Block, policy.NextTimeout(handledAt + 1));
    }

    [Fact]
    public void Empty_polls_do_not_extend_the_window()
    {
        var policy = WarmedUp(out var clock);
        var handledAt = clock.Now;
        for (var t = handledAt; t < handledAt + Budget; t += 10)
        {
            Assert.Equal(Poll, policy.NextTimeout(t));
            policy.AfterWait(t, t, events: 0, Budget, oneConnection: true);
        }

        Assert.Equal(Block, policy.NextTimeout(handledAt + Budget));
    }

    [Fact]
    public void An_event_caught_by_a_poll_starts_a_new_window_from_its_handling()
    {
        var policy = WarmedUp(out var clock);
        Assert.Equal(Poll, policy.NextTimeout(clock.Now + 30));
        policy.AfterWait(clock.Now + 31, clock.Now + 40, events: 1, Budget, oneConnection: true);

        Assert.Equal(Budget, policy.Window);
        Assert.Equal(Poll, policy.NextTimeout(clock.Now + 40 + Budget - 1));
        Assert.Equal(Block, policy.NextTimeout(clock.Now + 40 + Budget));
    }

    [Fact]
    public void Requests_that_come_later_than_the_budget_shrink_the_window_to_zero()
    {
        var policy = WarmedUp(out var clock);
        var windows = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            // The poll window runs out, the loop blocks, and the request comes after the budget.
            Assert.False(clock.NextRequest(policy, gap: Budget * 3));
            clock.Handle(policy, budget: Budget, oneConnection: true);
            windows.Add(policy.Window);
        }

        Assert.Equal([Budget / 2, Budget / 4, Budget / 8, 0], windows);

        // With the window at zero a wake-up is followed by a blocking wait straight away.
        Assert.Equal(Block, policy.NextTimeout(clock.Now));
    }

    [Fact]
    public void Events_from_several_connections_are_not_followed_by_a_poll()
    {
        var policy = WarmedUp(out var clock);
        clock.NextRequest(policy, gap: 50);
        clock.Handle(policy, budget: Budget, oneConnection: false);

        // The window is kept (the gap was short) but not used after this wake-up.
        Assert.Equal(Budget, policy.Window);
        Assert.Equal(Block, policy.NextTimeout(clock.Now));

        clock.NextRequest(policy, gap: 50);
        clock.Handle(policy, budget: Budget, oneConnection: true);
        Assert.Equal(Poll, policy.NextTimeout(clock.Now));
    }

    [Fact]
    public void A_zero_budget_never_polls_and_forgets_the_window()
    {
        var policy = WarmedUp(out var clock);
        clock.NextRequest(policy, gap: 50);
        clock.Handle(policy, budget: 0, oneConnection: true);

        Assert.Equal(0, policy.Window);
        Assert.Equal(Block, policy.NextTimeout(clock.Now));
    }

    [Fact]
    public void A_smaller_budget_caps_the_window_at_once()
    {
        var policy = WarmedUp(out var clock);
        clock.NextRequest(policy, gap: 50);
        clock.Handle(policy, budget: Budget / 4, oneConnection: true);

        Assert.Equal(Budget / 4, policy.Window);
        Assert.Equal(Poll, policy.NextTimeout(clock.Now + (Budget / 4) - 1));
        Assert.Equal(Block, policy.NextTimeout(clock.Now + (Budget / 4)));
    }

    [Fact]
    public void Wake_ups_with_only_posted_work_change_nothing()
    {
        var policy = WarmedUp(out var clock);
        var handledAt = clock.Now;

        // The loop's own wake-up (posted work, no readable socket) inside the window.
        Assert.Equal(Poll, policy.NextTimeout(handledAt + 5));
        policy.AfterWait(handledAt + 6, handledAt + 7, events: 0, Budget, oneConnection: true);

        Assert.Equal(Budget, policy.Window);
        Assert.Equal(Block, policy.NextTimeout(handledAt + Budget));
    }

    /// <summary>A policy whose window has grown to the whole budget, right after handling a batch.</summary>
    private static BusyPollPolicy WarmedUp(out Clock clock)
    {
        var policy = new BusyPollPolicy();
        clock = new Clock();
        while (policy.Window < Budget)
        {
            clock.NextRequest(policy, gap: Budget);
            clock.Handle(policy, budget: Budget, oneConnection: true);
        }

        return policy;
    }

    /// <summary>A test's notion of time: the moment the last batch was handled.</summary>
    private sealed class Clock
    {
        private long _wokeAt;

        public long Now { get; private set; }

        /// <summary>
        /// The next request comes <paramref name="gap"/> ticks after the last batch: the loop polls
        /// (one tick per poll) while the policy says so, then blocks. True when a poll caught it.
        /// </summary>
        public bool NextRequest(BusyPollPolicy policy, long gap)
        {
            var arrival = Now + gap;
            for (var t = Now; policy.NextTimeout(t) == Poll; t++)
            {
                if (t >= arrival)
                {
                    _wokeAt = t;
                    return true;
                }

                policy.AfterWait(t, t, events: 0, Budget, oneConnection: true);
            }

            _wokeAt = arrival;
            return false;
        }

        public void Handle(BusyPollPolicy policy, long budget, bool oneConnection)
        {
            Now = _wokeAt + 3;
            policy.AfterWait(_wokeAt, Now, events: 1, budget, oneConnection);
        }
    }
}
