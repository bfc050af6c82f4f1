using CretoAI.Fast.Core;
using CretoAI.Fast.Routing.Registry;

namespace CretoAI.Fast.Routing.Router;

/// <summary>
/// The transport-free core of agent routing on one node (docs/routing.md): logged-in agents, their
/// mailboxes, the acknowledged-message window, remote presence, and every routing decision. The
/// transport feeds it (logins, verified sends, acknowledgements, frames from other nodes, a periodic
/// <see cref="Tick"/>) and carries out what it asks through <see cref="IRouterOutput"/>, after the
/// router has released its lock. Time is an injected millisecond clock, passed to every call.
/// <para>
/// One lock guards the shared state; every operation under it is bounded (a mailbox holds at most
/// <see cref="RouterSettings.MailboxMaxMessages"/> messages) and nothing under it blocks or does I/O.
/// Checks that need no shared state (sender standing, rate budget) run outside it.
/// </para>
/// </summary>
public sealed class MessageRouter
{
    [ThreadStatic]
    private static List<Effect>? _threadEffects;

    private readonly RouterSettings _settings;
    private readonly IAgentDirectory _directory;
    private readonly IRouterOutput _output;
    private readonly int _self;
    private readonly int _nodeCount;
    private readonly Lock _lock = new();
    private readonly Dictionary<Hash32, AgentSession> _sessions = [];
    private readonly Dictionary<Hash32, HashSet<Hash32>> _tagIndex = [];
    private readonly Dictionary<Hash32, Mailbox> _mailboxes = [];
    private readonly DedupWindow<DeliveryKey> _acknowledged;
    private readonly PresenceTable _presence;
    private readonly Queue<(Hash32 Agent, bool Present)> _presenceChanges = new();
    private readonly List<Mailbox> _emptied = [];
    private long _queuedBytes;
    private bool _presenceOverflow;

    /// <param name="settings">Bounds; validated here.</param>
    /// <param name="directory">Agent standings.</param>
    /// <param name="output">The transport.</param>
    /// <param name="self">This node's index among the <paramref name="nodeCount"/> nodes that route to each other.</param>
    /// <param name="nodeCount">Nodes that route to each other (the validators); 1 for a node alone.</param>
    public MessageRouter(RouterSettings settings, IAgentDirectory directory, IRouterOutput output, int self = 0, int nodeCount = 1)
    {
        _settings = (settings ?? throw new ArgumentNullException(nameof(settings))).Validate();
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _output = output ?? throw new ArgumentNullException(nameof(output));
        ArgumentOutOfRangeException.ThrowIfLessThan(nodeCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(self);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(self, nodeCount);
        _self = self;
        _nodeCount = nodeCount;
        _acknowledged = new DedupWindow<DeliveryKey>(settings.DedupWindowEntries, settings.DedupWindowMs);
        _presence = new PresenceTable(settings.PresenceMaxEntries, settings.PresenceTtlMs);
    }

    private enum EffectKind : byte
    {
        Wake,
        Forward,
        ForwardResult,
        Complete,
        Replaced,
    }

    public RouterSettings Settings => _settings;

    public RouterCounters Counters { get; } = new();

    /// <summary>Agents logged in on this node.</summary>
    public int ConnectedAgents
    {
        get
        {
            lock (_lock)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>Bytes held in all mailboxes.</summary>
    public long QueuedBytes
    {
        get
        {
            lock (_lock)
            {
                return _queuedBytes;
            }
        }
    }

    /// <summary>Remote agents with a live presence entry.</summary>
    public int KnownRemoteAgents
    {
        get
        {
            lock (_lock)
            {
                return _presence.Count;
            }
        }
    }

    // ---- Login --------------------------------------------------------------------------------

    /// <summary>
    /// Logs <paramref name="session"/>'s agent in (its login signature already checked by the
    /// caller): refused when the directory does not know it, it is suspended or revoked, or the node
    /// is full. A newer login of the same agent replaces the older one, which is told through
    /// <see cref="IRouterOutput.Replaced"/>; messages waiting for the agent move to the new session.
    /// </summary>
    public AgentLoginStatus Login(AgentSession session, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!_directory.TryGetStanding(session.AgentId, out var standing))
        {
            return AgentLoginStatus.NotRegistered;
        }

        switch (standing.Status)
        {
            case AgentStatus.Suspended:
                return AgentLoginStatus.Suspended;
            case AgentStatus.Revoked:
                return AgentLoginStatus.Revoked;
            case AgentStatus.Active:
                break;
            default:
                return AgentLoginStatus.NotRegistered;
        }

        session.Standing = standing;
        session.StandingVersion = _directory.Version;
        session.Tags = EncodeTags(standing.Tags);
        var effects = BeginEffects();
        lock (_lock)
        {
            _sessions.TryGetValue(session.AgentId, out var previous);
            if (previous is null && _sessions.Count >= _settings.MaxAgents)
            {
                EndEffects(effects);
                return AgentLoginStatus.TooManyAgents;
            }

            if (previous is not null)
            {
                Unindex(previous);
                previous.IsLoggedIn = false;
                effects.Add(new Effect(EffectKind.Replaced, previous));
            }

            _sessions[session.AgentId] = session;
            session.IsLoggedIn = true;
            session.PumpScheduled = false;
            foreach (var tag in session.Tags)
            {
                if (!_tagIndex.TryGetValue(tag, out var members))
                {
                    members = [];
                    _tagIndex[tag] = members;
                }

                members.Add(session.AgentId);
            }

            QueuePresence(session.AgentId, present: true);
            if (_mailboxes.TryGetValue(session.AgentId, out var mailbox))
            {
                // Whatever was in flight to the old session or to another node goes to this one.
                mailbox.Requeue();
                ScheduleLocal(session, effects);
            }
        }

        RunEffects(effects);
        return AgentLoginStatus.Ok;
    }

    /// <summary>The connection of <paramref name="session"/> ended: messages in flight to it are queued again, to be delivered at its next login (or expire).</summary>
    /// <remarks>Messages other nodes forwarded for the agent go back to them (NotHere), so they hold them where the sender is.</remarks>
    public void Logout(AgentSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var effects = BeginEffects();
        lock (_lock)
        {
            if (!_sessions.TryGetValue(session.AgentId, out var current) || !ReferenceEquals(current, session))
            {
                session.IsLoggedIn = false;
            }
            else
            {
                _sessions.Remove(session.AgentId);
                Unindex(session);
                session.IsLoggedIn = false;
                QueuePresence(session.AgentId, present: false);
                if (_mailboxes.TryGetValue(session.AgentId, out var mailbox))
                {
                    mailbox.Requeue();
                    var messages = mailbox.Messages;
                    for (var i = messages.Count - 1; i >= 0; i--)
                    {
                        if (messages[i].ReplyTo.Node >= 0)
                        {
                            var message = messages[i];
                            mailbox.RemoveAt(i);
                            _queuedBytes -= message.Deliver.Length;
                            Answer(message, RouteStatus.NotHere, string.Empty, effects);
                        }
                    }

                    DropIfIdle(mailbox);
                }
            }
        }

        RunEffects(effects);
    }

    // ---- Sending ------------------------------------------------------------------------------

    /// <summary>
    /// The sender-side checks, before any signature is verified (cheap refusals first): the sender is
    /// logged in, still active (its standing is re-read when the directory moved), and has
    /// <paramref name="cost"/> tokens of its reputation-dependent budget. Call from the sender's
    /// connection only (its bucket is not shared).
    /// </summary>
    public RouteStatus CheckSender(AgentSession session, int cost, long nowMs, out string detail)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!session.IsLoggedIn)
        {
            detail = "this connection has no logged-in agent; log in first";
            return Refuse(RouteStatus.NotLoggedIn);
        }

        var version = _directory.Version;
        if (session.StandingVersion != version)
        {
            if (!_directory.TryGetStanding(session.AgentId, out var standing))
            {
                detail = "the sender is no longer registered";
                return Refuse(RouteStatus.SenderRevoked);
            }

            session.Standing = standing;
            session.StandingVersion = version;
        }

        switch (session.Standing.Status)
        {
            case AgentStatus.Suspended:
                detail = $"agent {session.AgentId.ToShortString()} is suspended";
                return Refuse(RouteStatus.SenderSuspended);
            case AgentStatus.Active:
                break;
            default:
                detail = $"agent {session.AgentId.ToShortString()} is revoked";
                return Refuse(RouteStatus.SenderRevoked);
        }

        var rate = TokenBucket.RatePerSecond(session.Standing.ReputationPpm, _settings);
        if (!session.Bucket.TryTake(cost, rate, _settings.RateBurstSeconds, nowMs))
        {
            detail = $"rate budget used up: {rate} messages per second at reputation {session.Standing.ReputationPpm} ppm, burst {rate * _settings.RateBurstSeconds}";
            return Refuse(RouteStatus.RateLimited);
        }

        detail = string.Empty;
        return RouteStatus.Delivered;
    }

    /// <summary>
    /// Routes a verified direct message to its recipient: here, to the node where the recipient is
    /// logged in, or into a mailbox here until it logs in somewhere. Returns the final answer when it
    /// is known at once (a refusal, or Delivered for a message id the recipient already acknowledged);
    /// null when the answer will come through <see cref="IRouterOutput.Complete"/> with
    /// <paramref name="waiter"/>.
    /// </summary>
    public RouteStatus? Route(RoutedMessage message, object waiter, long nowMs, out string detail)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(waiter);
        if (!_directory.TryGetStanding(message.Recipient, out var recipient))
        {
            detail = $"no agent {message.Recipient.ToShortString()} is registered";
            return Refuse(RouteStatus.UnknownRecipient);
        }

        if (recipient.Status != AgentStatus.Active)
        {
            detail = $"agent {message.Recipient.ToShortString()} is {recipient.Status.ToString().ToLowerInvariant()}";
            return Refuse(RouteStatus.RecipientInactive);
        }

        var effects = BeginEffects();
        RouteStatus? answer;
        lock (_lock)
        {
            answer = Accept(message, ReplyTarget.Local(waiter), nowMs, effects, out detail);
        }

        RunEffects(effects);
        if (answer is { } immediate)
        {
            Counters.CountAnswer(immediate);
        }

        return answer;
    }

    /// <summary>
    /// A verified fan-out to every agent with <paramref name="tag"/>: queued here for at most
    /// <see cref="RouterSettings.FanOutMaxRecipients"/> logged-in agents (the sender excluded, each
    /// copy acknowledged and retried like a direct message but answered to nobody) and offered to every
    /// other node, which does the same for its agents. <paramref name="detail"/> says how many were
    /// reached and how many mailboxes were full.
    /// </summary>
    public RouteStatus FanOut(RoutedMessage message, Hash32 tag, long nowMs, out string detail)
    {
        ArgumentNullException.ThrowIfNull(message);
        var effects = BeginEffects();
        int queued, full;
        lock (_lock)
        {
            (queued, full) = FanOutLocal(message, tag, nowMs, effects);
            for (var node = 0; node < _nodeCount; node++)
            {
                if (node != _self)
                {
                    effects.Add(new Effect(EffectKind.Forward, null, message, node));
                }
            }
        }

        RunEffects(effects);
        detail = $"queued for {queued} agent(s) here{(full > 0 ? $", {full} mailbox(es) full" : string.Empty)}, offered to {_nodeCount - 1} other node(s)";
        Counters.CountAnswer(RouteStatus.FannedOut);
        return RouteStatus.FannedOut;
    }

    /// <summary>The recipient acknowledged <paramref name="key"/>: the message leaves its mailbox, is remembered as delivered, and its sender is answered.</summary>
    public bool Acknowledge(AgentSession session, MessageKey key, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(session);
        var effects = BeginEffects();
        RoutedMessage? message;
        lock (_lock)
        {
            var dk = new DeliveryKey(session.AgentId, key);
            _acknowledged.TryAdd(dk, nowMs);
            message = _mailboxes.TryGetValue(session.AgentId, out var mailbox) ? mailbox.Remove(key) : null;
            if (message is not null)
            {
                _queuedBytes -= message.Deliver.Length;
                Counters.CountDelivered();
                Answer(message, RouteStatus.Delivered, "acknowledged by the recipient", effects);
                DropIfIdle(mailbox!);
            }
        }

        RunEffects(effects);
        return message is not null;
    }

    /// <summary>The delivery pump of <paramref name="session"/>: the next queued message, marked in flight; false (and the pump is idle) when there is none.</summary>
    public bool TryTakeForDelivery(AgentSession session, long nowMs, out RoutedMessage? message)
    {
        ArgumentNullException.ThrowIfNull(session);
        lock (_lock)
        {
            if (session.IsLoggedIn && _mailboxes.TryGetValue(session.AgentId, out var mailbox))
            {
                message = mailbox.TakeQueued(nowMs, _settings.RedeliverAfterMs);
                if (message is not null)
                {
                    if (message.Attempts > 1)
                    {
                        Counters.CountRedelivered();
                    }

                    return true;
                }
            }

            session.PumpScheduled = false;
            message = null;
            return false;
        }
    }

    /// <summary>A push of <paramref name="message"/> to the recipient's connection failed (the connection ended): it goes back to queued.</summary>
    public void DeliveryFailed(RoutedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_lock)
        {
            message.InFlight = false;
        }
    }

    // ---- Other nodes --------------------------------------------------------------------------

    /// <summary>A message node <paramref name="fromNode"/> forwarded for an agent it believes is logged in here.</summary>
    public void OnForwarded(int fromNode, RoutedMessage message, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(message);
        var effects = BeginEffects();
        lock (_lock)
        {
            var dk = new DeliveryKey(message.Recipient, message.Key);
            if (_acknowledged.Contains(dk, nowMs))
            {
                effects.Add(new Effect(EffectKind.ForwardResult, null, message, fromNode, RouteStatus.Delivered));
            }
            else if (!_sessions.ContainsKey(message.Recipient))
            {
                effects.Add(new Effect(EffectKind.ForwardResult, null, message, fromNode, RouteStatus.NotHere));
            }
            else
            {
                var refused = Accept(message, ReplyTarget.Remote(fromNode), nowMs, effects, out _);
                if (refused is { } status)
                {
                    effects.Add(new Effect(EffectKind.ForwardResult, null, message, fromNode, status));
                }
            }
        }

        RunEffects(effects);
    }

    /// <summary>A fan-out another node offered: queued for the agents with the tag logged in here.</summary>
    public void OnForwardedFanOut(RoutedMessage message, Hash32 tag, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(message);
        var effects = BeginEffects();
        lock (_lock)
        {
            FanOutLocal(message, tag, nowMs, effects);
        }

        RunEffects(effects);
    }

    /// <summary>Node <paramref name="fromNode"/> answers a message this node forwarded to it.</summary>
    public void OnForwardResult(int fromNode, DeliveryKey key, RouteStatus status, long nowMs)
    {
        var effects = BeginEffects();
        lock (_lock)
        {
            if (!_mailboxes.TryGetValue(key.Recipient, out var mailbox) || mailbox.Find(key.Message) is not { } message)
            {
                goto done;
            }

            if (status == RouteStatus.NotHere)
            {
                // Stale presence: hold the message here until the agent is seen again.
                _presence.Withdraw(key.Recipient, fromNode);
                message.InFlight = false;
                Dispatch(mailbox, message, nowMs, effects);
                goto done;
            }

            mailbox.Remove(key.Message);
            _queuedBytes -= message.Deliver.Length;
            if (status == RouteStatus.Delivered)
            {
                _acknowledged.TryAdd(key, nowMs);
            }

            Answer(message, status, status == RouteStatus.Delivered ? "acknowledged by the recipient" : $"refused by node {fromNode}", effects);
            DropIfIdle(mailbox);
        }

    done:
        RunEffects(effects);
    }

    /// <summary>Node <paramref name="fromNode"/> says <paramref name="agent"/> logged in (or out) there.</summary>
    public void OnPresence(int fromNode, Hash32 agent, bool present, long nowMs)
    {
        var effects = BeginEffects();
        lock (_lock)
        {
            if (!present)
            {
                _presence.Withdraw(agent, fromNode);
            }
            else if (_presence.Announce(agent, fromNode, nowMs) && !_sessions.ContainsKey(agent) && _mailboxes.TryGetValue(agent, out var mailbox))
            {
                foreach (var message in mailbox.Messages)
                {
                    if (!message.InFlight)
                    {
                        Dispatch(mailbox, message, nowMs, effects);
                    }
                }
            }
        }

        RunEffects(effects);
    }

    /// <summary>Takes up to <paramref name="max"/> presence changes of local agents to gossip; <paramref name="refreshAll"/> is set when changes were lost to the queue bound (announce every local agent then).</summary>
    public void TakePresenceChanges(ICollection<(Hash32 Agent, bool Present)> into, int max, out bool refreshAll)
    {
        ArgumentNullException.ThrowIfNull(into);
        lock (_lock)
        {
            while (into.Count < max && _presenceChanges.TryDequeue(out var change))
            {
                into.Add(change);
            }

            refreshAll = _presenceOverflow;
            _presenceOverflow = false;
        }
    }

    /// <summary>Every agent logged in here (for the periodic presence refresh).</summary>
    public void CopyLocalAgents(ICollection<Hash32> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        lock (_lock)
        {
            foreach (var agent in _sessions.Keys)
            {
                into.Add(agent);
            }
        }
    }

    // ---- Time ---------------------------------------------------------------------------------

    /// <summary>
    /// Expires messages past their time-to-live (answering their senders Expired), hands out again
    /// messages whose acknowledgement is overdue, forgets expired presence and empty mailboxes.
    /// The transport calls it periodically (a few times a second).
    /// </summary>
    public void Tick(long nowMs)
    {
        var effects = BeginEffects();
        lock (_lock)
        {
            foreach (var mailbox in _mailboxes.Values)
            {
                var messages = mailbox.Messages;
                for (var i = messages.Count - 1; i >= 0; i--)
                {
                    var message = messages[i];
                    if (nowMs >= message.ExpiresAtMs)
                    {
                        mailbox.RemoveAt(i);
                        _queuedBytes -= message.Deliver.Length;
                        Answer(message, RouteStatus.Expired, $"not acknowledged within {_settings.MessageTtlMs} ms", effects);
                    }
                }

                foreach (var message in messages)
                {
                    if (!message.InFlight || nowMs >= message.RetryAtMs)
                    {
                        message.InFlight = false;
                        Dispatch(mailbox, message, nowMs, effects);
                    }
                }

                if (mailbox.Count == 0 && !_sessions.ContainsKey(mailbox.Recipient))
                {
                    _emptied.Add(mailbox);
                }
            }

            foreach (var mailbox in _emptied)
            {
                _mailboxes.Remove(mailbox.Recipient);
            }

            _emptied.Clear();
            _presence.Sweep(nowMs);
        }

        RunEffects(effects);
    }

    /// <summary>Agents per mailbox depth bucket: upper bounds 0, 1, 2, 4, …, 2^(n-2), and the last bucket counts everything deeper.</summary>
    public void MailboxDepths(Span<long> buckets)
    {
        buckets.Clear();
        if (buckets.IsEmpty)
        {
            return;
        }

        lock (_lock)
        {
            var withMailbox = 0;
            foreach (var mailbox in _mailboxes.Values)
            {
                withMailbox++;
                var depth = mailbox.Count;
                var bucket = 0;
                var bound = 0;
                while (bucket < buckets.Length - 1 && depth > bound)
                {
                    bucket++;
                    bound = bound == 0 ? 1 : bound * 2;
                }

                buckets[bucket]++;
            }

            // Logged-in agents without a mailbox have depth 0.
            foreach (var agent in _sessions.Keys)
            {
                if (!_mailboxes.ContainsKey(agent))
                {
                    buckets[0]++;
                }
            }
        }
    }

    /// <summary>Messages waiting for <paramref name="agent"/> on this node (queued and in flight).</summary>
    public int MailboxDepth(Hash32 agent)
    {
        lock (_lock)
        {
            return _mailboxes.TryGetValue(agent, out var mailbox) ? mailbox.Count : 0;
        }
    }

    // ---- Internals (under the lock) -----------------------------------------------------------

    private RouteStatus? Accept(RoutedMessage message, ReplyTarget replyTo, long nowMs, List<Effect> effects, out string detail)
    {
        var dk = new DeliveryKey(message.Recipient, message.Key);
        if (_acknowledged.Contains(dk, nowMs))
        {
            detail = "already acknowledged by the recipient (a repeated message id)";
            return RouteStatus.Delivered;
        }

        _mailboxes.TryGetValue(message.Recipient, out var mailbox);
        if (mailbox?.Find(message.Key) is { } existing)
        {
            // A retry of a message still on its way: one copy travels, the newest waiter gets the answer.
            var previous = existing.ReplyTo;
            existing.ReplyTo = replyTo;
            if (previous.Waiter is { } old && !ReferenceEquals(old, replyTo.Waiter))
            {
                Counters.CountAnswer(RouteStatus.Superseded);
                effects.Add(new Effect(EffectKind.Complete, old, existing, -1, RouteStatus.Superseded, "a later send with the same message id took over"));
            }

            detail = string.Empty;
            return null;
        }

        if (mailbox is null && _mailboxes.Count >= _settings.MaxMailboxes)
        {
            detail = $"the node holds mailboxes for {_settings.MaxMailboxes} recipients already";
            return RouteStatus.Busy;
        }

        var size = message.Deliver.Length;
        if (mailbox is not null && (mailbox.Count >= _settings.MailboxMaxMessages || mailbox.Bytes + size > _settings.MailboxMaxBytes))
        {
            detail = $"the mailbox of {message.Recipient.ToShortString()} is full ({mailbox.Count} messages, {mailbox.Bytes} bytes; limits {_settings.MailboxMaxMessages} and {_settings.MailboxMaxBytes})";
            return RouteStatus.MailboxFull;
        }

        if (_queuedBytes + size > _settings.MaxQueuedBytes)
        {
            detail = $"the node holds {_queuedBytes} bytes of messages (limit {_settings.MaxQueuedBytes})";
            return RouteStatus.Busy;
        }

        if (mailbox is null)
        {
            mailbox = new Mailbox(message.Recipient);
            _mailboxes[message.Recipient] = mailbox;
        }

        message.ReplyTo = replyTo;
        message.ExpiresAtMs = nowMs + _settings.MessageTtlMs;
        message.InFlight = false;
        mailbox.Add(message);
        _queuedBytes += size;
        Counters.CountRouted();
        Dispatch(mailbox, message, nowMs, effects);
        detail = string.Empty;
        return null;
    }

    // Sends a queued message on its way: the local session's pump, the node the recipient is on, or nowhere yet.
    private void Dispatch(Mailbox mailbox, RoutedMessage message, long nowMs, List<Effect> effects)
    {
        if (message.InFlight)
        {
            return;
        }

        if (_sessions.TryGetValue(mailbox.Recipient, out var session))
        {
            ScheduleLocal(session, effects);
            return;
        }

        // A message that came from another node is for a local agent only; it waits here for a new login.
        if (message.ReplyTo.Node < 0 && _presence.TryLocate(mailbox.Recipient, nowMs, out var node) && node != _self)
        {
            message.InFlight = true;
            message.RetryAtMs = nowMs + _settings.RedeliverAfterMs;
            message.Attempts++;
            effects.Add(new Effect(EffectKind.Forward, null, message, node));
        }
    }

    private static void ScheduleLocal(AgentSession session, List<Effect> effects)
    {
        if (!session.PumpScheduled)
        {
            session.PumpScheduled = true;
            effects.Add(new Effect(EffectKind.Wake, session));
        }
    }

    private (int Queued, int Full) FanOutLocal(RoutedMessage message, Hash32 tag, long nowMs, List<Effect> effects)
    {
        if (!_tagIndex.TryGetValue(tag, out var members))
        {
            return (0, 0);
        }

        var queued = 0;
        var full = 0;
        foreach (var agent in members)
        {
            if (queued + full >= _settings.FanOutMaxRecipients)
            {
                break;
            }

            if (agent == message.Key.Sender)
            {
                continue;
            }

            var refused = Accept(message.CopyFor(agent), ReplyTarget.None, nowMs, effects, out _);
            if (refused is RouteStatus.MailboxFull or RouteStatus.Busy)
            {
                full++;
            }
            else
            {
                queued++;
            }
        }

        return (queued, full);
    }

    private void Answer(RoutedMessage message, RouteStatus status, string detail, List<Effect> effects)
    {
        var target = message.ReplyTo;
        if (target.Waiter is { } waiter)
        {
            Counters.CountAnswer(status);
            effects.Add(new Effect(EffectKind.Complete, waiter, message, -1, status, detail));
        }
        else if (target.Node >= 0)
        {
            effects.Add(new Effect(EffectKind.ForwardResult, null, message, target.Node, status));
        }
    }

    private void DropIfIdle(Mailbox mailbox)
    {
        if (mailbox.Count == 0 && !_sessions.ContainsKey(mailbox.Recipient))
        {
            _mailboxes.Remove(mailbox.Recipient);
        }
    }

    private void Unindex(AgentSession session)
    {
        foreach (var tag in session.Tags)
        {
            if (_tagIndex.TryGetValue(tag, out var members))
            {
                members.Remove(session.AgentId);
                if (members.Count == 0)
                {
                    _tagIndex.Remove(tag);
                }
            }
        }
    }

    private void QueuePresence(Hash32 agent, bool present)
    {
        if (_nodeCount == 1)
        {
            return;
        }

        if (_presenceChanges.Count >= _settings.PresenceChangeQueue)
        {
            _presenceOverflow = true;
            return;
        }

        _presenceChanges.Enqueue((agent, present));
    }

    private static Hash32[] EncodeTags(IReadOnlyList<string>? tags)
    {
        if (tags is null || tags.Count == 0)
        {
            return [];
        }

        var encoded = new List<Hash32>(tags.Count);
        foreach (var tag in tags)
        {
            if (RouterTags.TryEncode(tag, out var value))
            {
                encoded.Add(value);
            }
        }

        return [.. encoded];
    }

    private RouteStatus Refuse(RouteStatus status)
    {
        Counters.CountAnswer(status);
        return status;
    }

    private static List<Effect> BeginEffects()
    {
        var effects = _threadEffects ?? [];
        _threadEffects = null;
        return effects;
    }

    private static void EndEffects(List<Effect> effects)
    {
        effects.Clear();
        _threadEffects = effects;
    }

    private void RunEffects(List<Effect> effects)
    {
        try
        {
            foreach (var effect in effects)
            {
                switch (effect.Kind)
                {
                    case EffectKind.Wake:
                        _output.WakeDelivery((AgentSession)effect.Target!);
                        break;
                    case EffectKind.Forward:
                        Counters.CountForwarded();
                        _output.Forward(effect.Node, effect.Message!);
                        break;
                    case EffectKind.ForwardResult:
                        _output.ForwardResult(effect.Node, new DeliveryKey(effect.Message!.Recipient, effect.Message.Key), effect.Status);
                        break;
                    case EffectKind.Complete:
                        _output.Complete(effect.Target!, effect.Message!, effect.Status, effect.Detail ?? string.Empty);
                        break;
                    case EffectKind.Replaced:
                        _output.Replaced((AgentSession)effect.Target!);
                        break;
                }
            }
        }
        finally
        {
            EndEffects(effects);
        }
    }

    private readonly record struct Effect(EffectKind Kind, object? Target, RoutedMessage? Message = null, int Node = -1, RouteStatus Status = RouteStatus.Delivered, string? Detail = null);
}
