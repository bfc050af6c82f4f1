using System.Buffers.Binary;
using CretoAI.Fast.Core;
using CretoAI.Fast.Reputation.Stake;

namespace CretoAI.Fast.Reputation.Tests.Stake;

public sealed class StakeRulesTests
{
    [Fact]
    public void Defaults_are_the_seed_constants()
    {
        var rules = StakeRules.Default;
        rules.Validate();
        Assert.Equal(1_000UL, rules.MinimumBond);
        Assert.Equal(1_000_000UL, rules.MaximumBond);
        Assert.Equal(86_400_000UL, rules.BondLockMs);
        Assert.Equal(604_800_000UL, rules.UnbondingPeriodMs);
        Assert.Equal(30, rules.SlashPercent(Offence.Equivocation));
        Assert.Equal(25, rules.SlashPercent(Offence.DoubleSignCommit));
        Assert.Equal(15, rules.SlashPercent(Offence.InvalidBlock));
        Assert.Equal(10, rules.SlashPercent(Offence.InvalidSignature));
        Assert.Equal(5, rules.SlashPercent(Offence.ProlongedDowntime));
        Assert.Equal(0, rules.SlashPercent(Offence.MissedProposal));
        Assert.Equal(0, rules.SlashPercent(Offence.MissedVote));
        Assert.Equal(16, rules.MaxPendingEntries);
        Assert.Equal(32, rules.HistoryLength);
        Assert.Equal(4096, rules.MaxAccounts);
    }

    public static TheoryData<string, StakeRules> BadRules() => new()
    {
        { nameof(StakeRules.MinimumBond), new StakeRules { MinimumBond = 0 } },
        { nameof(StakeRules.MaximumBond), new StakeRules { MinimumBond = 10, MaximumBond = 9 } },
        { nameof(StakeRules.MaximumBond), new StakeRules { MaximumBond = 10_000_000_001 } },
        { nameof(StakeRules.BondLockMs), new StakeRules { BondLockMs = StakeRules.MaxPeriodMs + 1 } },
        { nameof(StakeRules.UnbondingPeriodMs), new StakeRules { UnbondingPeriodMs = 0 } },
        { nameof(StakeRules.UnbondingPeriodMs), new StakeRules { UnbondingPeriodMs = StakeRules.MaxPeriodMs + 1 } },
        { nameof(StakeRules.EquivocationSlashPercent), new StakeRules { EquivocationSlashPercent = 101 } },
        { nameof(StakeRules.DoubleSignCommitSlashPercent), new StakeRules { DoubleSignCommitSlashPercent = -1 } },
        { nameof(StakeRules.InvalidBlockSlashPercent), new StakeRules { InvalidBlockSlashPercent = 200 } },
        { nameof(StakeRules.InvalidSignatureSlashPercent), new StakeRules { InvalidSignatureSlashPercent = 101 } },
        { nameof(StakeRules.ProlongedDowntimeSlashPercent), new StakeRules { ProlongedDowntimeSlashPercent = 101 } },
        { nameof(StakeRules.MissedProposalSlashPercent), new StakeRules { MissedProposalSlashPercent = 101 } },
        { nameof(StakeRules.MissedVoteSlashPercent), new StakeRules { MissedVoteSlashPercent = -5 } },
        { nameof(StakeRules.MaxPendingEntries), new StakeRules { MaxPendingEntries = 0 } },
        { nameof(StakeRules.MaxPendingEntries), new StakeRules { MaxPendingEntries = StakeRules.MaxPendingEntriesLimit + 1 } },
        { nameof(StakeRules.HistoryLength), new StakeRules { HistoryLength = 0 } },
        { nameof(StakeRules.HistoryLength), new StakeRules { HistoryLength = StakeRules.HistoryLengthLimit + 1 } },
        { nameof(StakeRules.MaxAccounts), new StakeRules { MaxAccounts = 0 } },
        { nameof(StakeRules.MaxAccounts), new StakeRules { MaxAccounts = StakeRules.MaxAccountsLimit + 1 } },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public void Validate_names_the_bad_setting(string setting, StakeRules rules)
    {
        var e = Assert.Throws<InvalidSettingException>(rules.Validate);
        Assert.Equal(setting, e.Setting);
        Assert.Throws<InvalidSettingException>(() => new StakeManager(new Storage.State.MemoryReplicatedState(), rules));
    }

    [Fact]
    public void Boundary_values_are_accepted()
    {
        new StakeRules
        {
            MinimumBond = 1,
            MaximumBond = 1,
            BondLockMs = 0,
            UnbondingPeriodMs = 1,
            EquivocationSlashPercent = 100,
            MissedVoteSlashPercent = 0,
            MaxPendingEntries = StakeRules.MaxPendingEntriesLimit,
            HistoryLength = 1,
            MaxAccounts = StakeRules.MaxAccountsLimit,
        }.Validate();
    }

    [Fact]
    public void Canonical_form_of_the_defaults_is_the_documented_layout()
    {
        var bytes = StakeRules.Default.ToCanonicalBytes();
        Assert.Equal(StakeRules.CanonicalSize, bytes.Length);
        Assert.Equal(
            "01" + "e803000000000000" + "40420f0000000000" + "005c260500000000" + "00840c2400000000"
            + "1e190f0a050000" + "10000000" + "20000000" + "00100000",
            Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Every_setting_changes_the_canonical_form()
    {
        var variants = new[]
        {
            StakeRules.Default,
            new StakeRules { MinimumBond = 999 },
            new StakeRules { MaximumBond = 999_999 },
            new StakeRules { BondLockMs = 1 },
            new StakeRules { UnbondingPeriodMs = 1 },
            new StakeRules { EquivocationSlashPercent = 31 },
            new StakeRules { DoubleSignCommitSlashPercent = 26 },
            new StakeRules { InvalidBlockSlashPercent = 16 },
            new StakeRules { InvalidSignatureSlashPercent = 11 },
            new StakeRules { ProlongedDowntimeSlashPercent = 6 },
            new StakeRules { MissedProposalSlashPercent = 1 },
            new StakeRules { MissedVoteSlashPercent = 1 },
            new StakeRules { MaxPendingEntries = 15 },
            new StakeRules { HistoryLength = 31 },
            new StakeRules { MaxAccounts = 4095 },
        };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rules in variants)
        {
            Assert.True(seen.Add(Convert.ToHexString(rules.ToCanonicalBytes())));
        }
    }

    [Fact]
    public void Canonical_form_refuses_a_short_destination_and_invalid_rules()
    {
        Assert.Throws<ArgumentException>(() => StakeRules.Default.WriteCanonical(new byte[StakeRules.CanonicalSize - 1]));
        Assert.Throws<InvalidSettingException>(() => new StakeRules { MinimumBond = 0 }.ToCanonicalBytes());
        var bytes = new byte[StakeRules.CanonicalSize];
        StakeRules.Default.WriteCanonical(bytes);
        Assert.Equal(4096U, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(48)));
    }

    [Fact]
    public void Undefined_offence_has_no_percentage()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StakeRules.Default.SlashPercent((Offence)0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StakeRules.Default.SlashPercent((Offence)8));
    }
}
