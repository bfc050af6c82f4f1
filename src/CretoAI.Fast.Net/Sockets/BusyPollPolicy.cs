namespace CretoAI.Fast.Net.Sockets;

/// <summary>
/// Decides, for one <see cref="EpollEventLoop"/>, whether its next <c>epoll_wait</c> polls
/// (timeout 0) or blocks. Blocking lets the vCPU halt, and on a virtual machine waking a halted
/// vCPU costs more than the request itself; polling for a short window after a wake-up keeps the
/// thread on its CPU for a request/reply peer whose next request is already on its way. Polling is
/// bounded three ways, so an idle or contended process does not burn CPU for nothing:
/// <list type="bullet">
/// <item>it only follows a wake-up whose events all came from one connection (one peer waiting on
/// our reply; with many busy connections the set is rarely empty anyway);</item>
/// <item>its window adapts between 0 and the budget: it doubles after a blocking wait whose event
/// came within the budget of the previous batch (a longer poll would have caught it) and halves
/// after one that came later (polling would only have wasted CPU), dropping to 0 below an eighth
/// of the budget;</item>
/// <item>a window never extends itself: an empty poll past its end goes back to a blocking wait.</item>
/// </list>
/// Pure logic over timestamps the caller passes (Stopwatch ticks), so tests drive it with any clock.
/// </summary>
internal sealed class BusyPollPolicy
{
    private long _window;
    private long _pollUntil;
    private long _handledAt;
    private bool _polling;
    private bool _blocked;

    /// <summary>The current poll window in ticks (0: the next wait after a wake-up blocks).</summary>
    public long Window => _window;

    /// <summary>The <c>epoll_wait</c> timeout to use now: 0 while inside a poll window, else -1 (block).</summary>
    public int NextTimeout(long now)
    {
        if (_polling && now < _pollUntil)
        {
            return 0;
        }

        _polling = false;
        _blocked = true;
        return -1;
    }

    /// <summary>
    /// After a wait returned <paramref name="events"/> (0 for an empty poll) and those events were
    /// handled. <paramref name="wokeAt"/> is when the wait returned, <paramref name="now"/> when
    /// handling ended; <paramref name="budget"/> is the most the loop may poll (ticks, 0: never),
    /// <paramref name="oneConnection"/> whether the events came from a single connection.
    /// </summary>
    public void AfterWait(long wokeAt, long now, int events, long budget, bool oneConnection)
    {
        if (events <= 0)
        {
            return;
        }

        if (budget <= 0)
        {
            _window = 0;
            _polling = false;
            _blocked = false;
            return;
        }

        if (_blocked)
        {
            // The gap since the previous batch was handled, polled part included: a window of
            // the whole budget would have caught this event exactly when the gap fits in it.
            Adapt(wokeAt - _handledAt, budget);
            _blocked = false;
        }

        _window = Math.Min(_window, budget);
        _polling = oneConnection && _window > 0;
        _handledAt = now;
        _pollUntil = now + _window;
    }

    private void Adapt(long gap, long budget)
    {
        var floor = Math.Max(1, budget / 8);
        if (gap <= budget)
        {
            _window = Math.Min(budget, Math.Max(floor, _window * 2));
        }
        else
        {
            _window /= 2;
            if (_window < floor)
            {
                _window = 0;
            }
        }
    }
}
