using CretoAI.Fast.Core;
using CretoAI.Fast.Reputation.Ledger;

namespace CretoAI.Fast.Reputation.Tests.Ledger;

public sealed class LedgerRulesTests
{
    [Fact]
    public void Every_rule_changes_the_canonical_bytes()
    {
        var baseline = LedgerRules.Default.ToCanonicalBytes();
        Assert.Equal(LedgerRules.CanonicalSize, baseline.Length);
        Assert.Equal(baseline, LedgerRules.Default.ToCanonicalBytes());
        var variants = new[]
        {
            LedgerRules.Default with { EpochLengthBlocks = 2000 },
            LedgerRules.Default with { ParticipationWindowBlocks = 20 },
            LedgerRules.Default with { DowntimeWindows = 7 },
            LedgerRules.Default with { Stake = new CretoAI.Fast.Reputation.Stake.StakeRules { MinimumBond = 2_000 } },
            LedgerRules.Default with { Reputation = LedgerRules.Default.Reputation with { VoteCastPpm = 6_000 } },
            LedgerRules.Default with { Weights = new CretoAI.Fast.Consensus.Weights.VotingWeightRules(100_000, 750_000, 20) },
            LedgerRules.Default with { Quorum = LedgerRules.Default.Quorum with { ActivationDelay = 3 } },
            LedgerRules.Default with { Quorum = LedgerRules.Default.Quorum with { StabilityWindowRounds = 101 } },
        };
        foreach (var variant in variants)
        {
            Assert.NotEqual(baseline, variant.ToCanonicalBytes());
        }
    }

    [Fact]
    public void Bad_rules_name_the_setting()
    {
        var e = Assert.Throws<InvalidSettingException>(() => (LedgerRules.Default with { EpochLengthBlocks = 15 }).Validate());
        Assert.Contains("ledger.epoch-length", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InvalidSettingException>(() => (LedgerRules.Default with { ParticipationWindowBlocks = 0 }).Validate());
        Assert.Contains("ledger.participation-window", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InvalidSettingException>(() => (LedgerRules.Default with { DowntimeWindows = 0 }).Validate());
        Assert.Contains("ledger.downtime-windows", e.Message, StringComparison.Ordinal);
    }
}
