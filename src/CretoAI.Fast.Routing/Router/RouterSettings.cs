using CretoAI.Fast.Core;

namespace CretoAI.Fast.Routing.Router;

/// <summary>
/// Every bound of the message router, with its default (docs/routing.md, "Limits"). Times are in
/// milliseconds of the router's injected clock. <see cref="Validate"/> runs at start-up and names the
/// first setting that is wrong. Nothing the router holds grows past these numbers.
/// </summary>
public sealed class RouterSettings
{
    /// <summary>Largest application payload of one routed message, bytes. Default 64 KiB.</summary>
    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    /// <summary>Most messages waiting for one recipient on this node (queued or delivered and not yet acknowledged). Default 256.</summary>
    public int MailboxMaxMessages { get; set; } = 256;

    /// <summary>Most bytes waiting for one recipient on this node. Default 1 MiB.</summary>
    public long MailboxMaxBytes { get; set; } = 1024 * 1024;

    /// <summary>Most bytes waiting in all mailboxes of this node together. Default 256 MiB.</summary>
    public long MaxQueuedBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Most recipients with a non-empty mailbox on this node. Default 100,000.</summary>
    public int MaxMailboxes { get; set; } = 100_000;

    /// <summary>Most agents logged in on this node at once. Default 100,000.</summary>
    public int MaxAgents { get; set; } = 100_000;

    /// <summary>A message not acknowledged by its recipient within this time is answered Expired. Default 60 s.</summary>
    public long MessageTtlMs { get; set; } = 60_000;

    /// <summary>A delivered (or forwarded) message not acknowledged within this time is sent again. Default 5 s.</summary>
    public long RedeliverAfterMs { get; set; } = 5_000;

    /// <summary>Acknowledged (recipient, sender, message id) triples remembered to answer a repeated send without delivering it twice. Default 65,536.</summary>
    public int DedupWindowEntries { get; set; } = 65_536;

    /// <summary>Longest time an acknowledged triple is remembered. Default 10 minutes.</summary>
    public long DedupWindowMs { get; set; } = 600_000;

    /// <summary>Send budget of an agent with reputation 0, messages per second. Default 10.</summary>
    public int RateMinPerSecond { get; set; } = 10;

    /// <summary>Send budget of an agent with reputation 1.0 (1,000,000 ppm), messages per second; linear in between. Default 1,000.</summary>
    public int RateMaxPerSecond { get; set; } = 1_000;

    /// <summary>Burst: the bucket holds this many seconds of an agent's budget. Default 2.</summary>
    public int RateBurstSeconds { get; set; } = 2;

    /// <summary>Most agents one tag fan-out reaches on one node. Default 1,000.</summary>
    public int FanOutMaxRecipients { get; set; } = 1_000;

    /// <summary>Tokens of the sender's budget one tag fan-out costs. Default 10.</summary>
    public int FanOutCost { get; set; } = 10;

    /// <summary>Most remote agents whose node this node remembers (presence learned by gossip). Default 1,000,000.</summary>
    public int PresenceMaxEntries { get; set; } = 1_000_000;

    /// <summary>A remote agent's presence is forgotten this long after it was last announced. Default 30 s.</summary>
    public long PresenceTtlMs { get; set; } = 30_000;

    /// <summary>Presence of every local agent is announced again at this interval (a third of the TTL by default). Default 10 s.</summary>
    public long PresenceRefreshMs { get; set; } = 10_000;

    /// <summary>Most presence changes waiting to be gossiped; past it the next refresh announces everything. Default 65,536.</summary>
    public int PresenceChangeQueue { get; set; } = 65_536;

    /// <summary>A login challenge must be answered within this time. Default 30 s.</summary>
    public long ChallengeTtlMs { get; set; } = 30_000;

    /// <summary>Most sends waiting for signature verification on this node; past it a send is answered Busy. Default 8,192.</summary>
    public int VerifyQueueCapacity { get; set; } = 8_192;

    /// <summary>Most signatures verified in one batch. Default 64.</summary>
    public int VerifyBatchSize { get; set; } = 64;

    /// <summary>Throws <see cref="InvalidSettingException"/> naming the first invalid setting; returns this instance.</summary>
    public RouterSettings Validate()
    {
        Range(MaxPayloadBytes, 1, 1024 * 1024, "router_max_payload_bytes");
        Range(MailboxMaxMessages, 1, 1_000_000, "router_mailbox_max_messages");
        Range(MailboxMaxBytes, MaxPayloadBytes, 1L << 32, "router_mailbox_max_bytes", "at least router_max_payload_bytes, so one message of the largest size fits");
        Range(MaxQueuedBytes, MailboxMaxBytes, 1L << 40, "router_max_queued_bytes", "at least router_mailbox_max_bytes");
        Range(MaxMailboxes, 1, 10_000_000, "router_max_mailboxes");
        Range(MaxAgents, 1, 10_000_000, "router_max_agents");
        Range(MessageTtlMs, 100, 86_400_000, "router_message_ttl_ms");
        Range(RedeliverAfterMs, 10, MessageTtlMs, "router_redeliver_after_ms", "at most router_message_ttl_ms");
        Range(DedupWindowEntries, 1, 10_000_000, "router_dedup_window_entries");
        Range(DedupWindowMs, 1_000, 86_400_000, "router_dedup_window_ms");
        Range(RateMinPerSecond, 1, 1_000_000, "router_rate_min_per_second");
        Range(RateMaxPerSecond, RateMinPerSecond, 1_000_000, "router_rate_max_per_second", "at least router_rate_min_per_second");
        Range(RateBurstSeconds, 1, 3_600, "router_rate_burst_seconds");
        Range(FanOutMaxRecipients, 1, 1_000_000, "router_fanout_max_recipients");
        Range(FanOutCost, 1, (long)RateMinPerSecond * RateBurstSeconds, "router_fanout_cost", "at most rate_min_per_second × rate_burst_seconds, or a low-reputation agent could never fan out");
        Range(PresenceMaxEntries, 1, 100_000_000, "router_presence_max_entries");
        Range(PresenceTtlMs, 1_000, 3_600_000, "router_presence_ttl_ms");
        Range(PresenceRefreshMs, 100, PresenceTtlMs / 2, "router_presence_refresh_ms", "at most half of router_presence_ttl_ms, so a live agent never expires between refreshes");
        Range(PresenceChangeQueue, 1, 10_000_000, "router_presence_change_queue");
        Range(ChallengeTtlMs, 1_000, 3_600_000, "router_challenge_ttl_ms");
        Range(VerifyQueueCapacity, 1, 1_000_000, "router_verify_queue_capacity");
        Range(VerifyBatchSize, 1, 4_096, "router_verify_batch_size");
        return this;
    }

    private static void Range(long value, long min, long max, string name, string? why = null)
    {
        if (value < min || value > max)
        {
            throw new InvalidSettingException(name, $"must be between {min:N0} and {max:N0}{(why is null ? string.Empty : $" ({why})")}, got {value:N0}.");
        }
    }
}
