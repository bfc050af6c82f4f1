using CretoAI.Fast.Core;
using CretoAI.Fast.Routing.Router;

namespace CretoAI.Fast.Routing.Tests.Router;

public sealed class TokenBucketTests
{
    private static readonly RouterSettings Settings = new() { RateMinPerSecond = 10, RateMaxPerSecond = 110, RateBurstSeconds = 2 };

    [Fact]
    public void Budget_grows_linearly_with_reputation()
    {
        Assert.Equal(10, TokenBucket.RatePerSecond(0, Settings));
        Assert.Equal(60, TokenBucket.RatePerSecond(500_000, Settings));
        Assert.Equal(110, TokenBucket.RatePerSecond(1_000_000, Settings));
        Assert.Equal(110, TokenBucket.RatePerSecond(5_000_000, Settings));
    }

    [Fact]
    public void A_new_bucket_holds_the_burst_then_refuses_until_time_refills_it()
    {
        var bucket = default(TokenBucket);
        for (var i = 0; i < 20; i++)
        {
            Assert.True(bucket.TryTake(1, 10, 2, 1_000), $"send {i} of the burst");
        }

        Assert.False(bucket.TryTake(1, 10, 2, 1_000));
        Assert.False(bucket.TryTake(1, 10, 2, 1_099));
        Assert.True(bucket.TryTake(1, 10, 2, 1_100)); // 100 ms at 10/s = one token
        Assert.False(bucket.TryTake(1, 10, 2, 1_100));
        Assert.True(bucket.TryTake(20, 10, 2, 100_000)); // refills to the burst, never past it
        Assert.False(bucket.TryTake(1, 10, 2, 100_000));
    }

    [Fact]
    public void A_fan_out_costs_many_tokens_at_once()
    {
        var bucket = default(TokenBucket);
        Assert.True(bucket.TryTake(15, 10, 2, 0));
        Assert.False(bucket.TryTake(15, 10, 2, 0));
        Assert.Equal(5, bucket.Tokens);
    }

    [Fact]
    public void A_lower_budget_caps_tokens_saved_at_a_higher_one()
    {
        var bucket = default(TokenBucket);
        Assert.True(bucket.TryTake(1, 100, 2, 0)); // 199 left
        Assert.True(bucket.TryTake(1, 10, 2, 0)); // capped at 20, then 19 left
        Assert.Equal(19, bucket.Tokens);
    }
}

public sealed class DedupWindowTests
{
    [Fact]
    public void Remembers_keys_and_refuses_a_second_add()
    {
        var window = new DedupWindow<int>(4, 1_000);
        Assert.True(window.TryAdd(1, 0));
        Assert.False(window.TryAdd(1, 10));
        Assert.True(window.Contains(1, 10));
        Assert.False(window.Contains(2, 10));
    }

    [Fact]
    public void A_full_window_forgets_the_oldest()
    {
        var window = new DedupWindow<int>(3, 1_000);
        for (var i = 1; i <= 4; i++)
        {
            Assert.True(window.TryAdd(i, i));
        }

        Assert.Equal(3, window.Count);
        Assert.False(window.Contains(1, 5));
        Assert.True(window.Contains(2, 5));
        Assert.True(window.Contains(4, 5));
    }

    [Fact]
    public void Keys_older_than_the_window_are_forgotten()
    {
        var window = new DedupWindow<int>(100, 1_000);
        window.TryAdd(1, 0);
        window.TryAdd(2, 500);
        Assert.True(window.Contains(1, 1_000));
        Assert.False(window.Contains(1, 1_001));
        Assert.True(window.Contains(2, 1_001));
        Assert.Equal(1, window.Count);
        Assert.True(window.TryAdd(1, 1_002));
    }

    [Fact]
    public void A_window_that_grows_while_its_ring_has_wrapped_keeps_insertion_order()
    {
        var window = new DedupWindow<int>(1_000, 1_000);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(window.TryAdd(i, 0));
        }

        // These expire the first hundred, so the ring's start has moved on before it has to grow.
        for (var i = 100; i < 500; i++)
        {
            Assert.True(window.TryAdd(i, 1_001));
        }

        for (var i = 500; i < 1_000; i++)
        {
            Assert.True(window.TryAdd(i, 1_500));
        }

        Assert.Equal(900, window.Count);
        Assert.False(window.TryAdd(250, 1_600));
        Assert.True(window.Contains(100, 2_001) && window.Contains(499, 2_001));

        // Age still expires exactly the keys added first, in order.
        Assert.False(window.Contains(100, 2_002));
        Assert.False(window.Contains(499, 2_002));
        Assert.True(window.Contains(500, 2_002));
        Assert.Equal(500, window.Count);

        // At capacity the oldest go first.
        for (var i = 1_000; i < 1_600; i++)
        {
            Assert.True(window.TryAdd(i, 2_100));
        }

        Assert.Equal(1_000, window.Count);
        Assert.False(window.Contains(599, 2_100));
        Assert.True(window.Contains(600, 2_100));
        Assert.True(window.Contains(1_599, 2_100));
    }
}

public sealed class PresenceTableTests
{
    [Fact]
    public void An_announcement_expires_after_the_ttl()
    {
        var table = new PresenceTable(10, 1_000);
        Assert.True(table.Announce(Agents.Id(1), 2, 0));
        Assert.True(table.TryLocate(Agents.Id(1), 999, out var node));
        Assert.Equal(2, node);
        Assert.False(table.TryLocate(Agents.Id(1), 1_000, out _));
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void A_later_announcement_moves_the_agent_and_renews_it()
    {
        var table = new PresenceTable(10, 1_000);
        table.Announce(Agents.Id(1), 2, 0);
        table.Announce(Agents.Id(1), 3, 900);
        Assert.False(table.Withdraw(Agents.Id(1), 2)); // an old node's logout does not undo the move
        Assert.True(table.TryLocate(Agents.Id(1), 1_500, out var node));
        Assert.Equal(3, node);
        Assert.True(table.Withdraw(Agents.Id(1), 3));
        Assert.False(table.TryLocate(Agents.Id(1), 1_500, out _));
    }

    [Fact]
    public void A_full_table_refuses_new_agents_until_entries_expire()
    {
        var table = new PresenceTable(2, 1_000);
        Assert.True(table.Announce(Agents.Id(1), 1, 0));
        Assert.True(table.Announce(Agents.Id(2), 1, 500));
        Assert.False(table.Announce(Agents.Id(3), 1, 600));
        Assert.Equal(1, table.Refused);
        Assert.True(table.Announce(Agents.Id(1), 1, 700)); // a known agent is renewed
        Assert.True(table.Announce(Agents.Id(3), 1, 1_600)); // agent 2 has expired by then
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void Sweep_removes_only_expired_entries()
    {
        var table = new PresenceTable(10, 1_000);
        table.Announce(Agents.Id(1), 1, 0);
        table.Announce(Agents.Id(2), 1, 600);
        Assert.Equal(1, table.Sweep(1_200));
        Assert.Equal(1, table.Count);
    }
}

public sealed class RouterSettingsTests
{
    [Fact]
    public void Defaults_are_valid() => new RouterSettings().Validate();

    [Theory]
    [InlineData("router_max_payload_bytes")]
    [InlineData("router_mailbox_max_messages")]
    [InlineData("router_redeliver_after_ms")]
    [InlineData("router_rate_max_per_second")]
    [InlineData("router_presence_refresh_ms")]
    [InlineData("router_fanout_cost")]
    public void A_bad_value_names_its_setting(string setting)
    {
        var settings = new RouterSettings();
        switch (setting)
        {
            case "router_max_payload_bytes": settings.MaxPayloadBytes = 0; break;
            case "router_mailbox_max_messages": settings.MailboxMaxMessages = 0; break;
            case "router_redeliver_after_ms": settings.RedeliverAfterMs = settings.MessageTtlMs + 1; break;
            case "router_rate_max_per_second": settings.RateMaxPerSecond = settings.RateMinPerSecond - 1; break;
            case "router_presence_refresh_ms": settings.PresenceRefreshMs = settings.PresenceTtlMs; break;
            case "router_fanout_cost": settings.FanOutCost = (settings.RateMinPerSecond * settings.RateBurstSeconds) + 1; break;
        }

        var error = Assert.Throws<InvalidSettingException>(() => settings.Validate());
        Assert.Equal(setting, error.Setting);
    }
}

public sealed class RouterTagsTests
{
    [Theory]
    [InlineData("search", true)]
    [InlineData("a.b_c-9", true)]
    [InlineData("", false)]
    [InlineData("Upper", false)]
    [InlineData("has space", false)]
    [InlineData("0123456789012345678901234567890123", false)]
    public void Tags_follow_the_registry_rules(string tag, bool valid)
    {
        Assert.Equal(valid, RouterTags.TryEncode(tag, out var encoded));
        if (valid)
        {
            Assert.True(RouterTags.IsValid(encoded));
        }
    }

    [Fact]
    public void Padded_bytes_with_a_gap_or_bad_characters_are_invalid()
    {
        var bytes = new byte[32];
        bytes[0] = (byte)'a';
        bytes[2] = (byte)'b';
        Assert.False(RouterTags.IsValid(new Hash32(bytes)));
        Assert.False(RouterTags.IsValid(Hash32.Zero));
        bytes[2] = 0;
        bytes[1] = (byte)'A';
        Assert.False(RouterTags.IsValid(new Hash32(bytes)));
    }
}
