using System.Buffers.Binary;
using CretoAI.Fast.Reputation.Stake;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.State;
using CsCheck;
using static CretoAI.Fast.Reputation.Tests.Stake.StakeTestData;

namespace CretoAI.Fast.Reputation.Tests.Stake;

/// <summary>The documented record layouts, and damaged records reported as <see cref="StorageError.StateCorrupt"/>.</summary>
public sealed class StakeRecordTests
{
    [Fact]
    public void Account_record_has_the_documented_layout()
    {
        var manager = Create(out var state, ShortPeriods, new GenesisStake(Id(1), 20_000, 5_000));
        Assert.True(manager.Bond(Id(1), 1_000, 1, At(100)).Applied);
        Assert.True(manager.Unbond(Id(1), 2_000, 2, At(200)).Applied);
        Assert.True(manager.Slash(Id(1), Offence.InvalidSignature, Evidence(1), At(300)).Applied); // 10 % of 6,000: 600 from the lot

        var expected =
            "01" + Le(2) + Le(19_000) + Le(3_000) + Le(600) + "01" + "01"
            + Le(400) + Le(Genesis.TimestampMs + 100)
            + Le(2_000) + Le(Genesis.TimestampMs + 200);
        Assert.Equal(expected, Convert.ToHexStringLower(Read(state, StateKey.For(StateNamespace.StakeAccount, Id(1)))));
    }

    [Fact]
    public void Ledger_evidence_and_history_records_have_the_documented_layouts()
    {
        var manager = Create(out var state, StakeRules.Default, new GenesisStake(Id(1), 5, 10_000), new GenesisStake(Id(2), 3, 0));
        Assert.True(manager.Slash(Id(1), Offence.Equivocation, Evidence(4), new BlockContext(7, 9_000)).Applied);

        Assert.Equal("01" + Le(10_008) + Le(3_000) + "02000000", Convert.ToHexStringLower(Read(state, StateKey.For(StateNamespace.StakeLedger, 0))));
        Assert.Equal(
            "01" + Convert.ToHexStringLower(Id(1).ToArray()) + "01" + Le(7) + Le(9_000) + Le(3_000),
            Convert.ToHexStringLower(Read(state, StateKey.For(StateNamespace.SlashedEvidence, Evidence(4)))));
        Assert.Equal(
            "01" + "0200" + "0100" + Le(Genesis.Height) + Le(Genesis.TimestampMs) + Le(10_000) + "0501" + Le(7) + Le(9_000) + Le(3_000),
            Convert.ToHexStringLower(Read(state, StateKey.For(StateNamespace.StakeHistory, Id(1)))));
        Assert.Equal(
            "01" + "0200" + Convert.ToHexStringLower(Id(1).ToArray()) + Convert.ToHexStringLower(Id(2).ToArray()),
            Convert.ToHexStringLower(Read(state, StateKey.For(StateNamespace.StakeLedger, 1))));
    }

    public static TheoryData<string, string> DamagedAccounts() => new()
    {
        { "empty", string.Empty },
        { "short header", "01" + Le(0) },
        { "wrong version", "02" + Le(0) + Le(1) + Le(0) + Le(0) + "0000" },
        { "count beyond the bytes", "01" + Le(0) + Le(1) + Le(0) + Le(0) + "0100" },
        { "trailing bytes", "01" + Le(0) + Le(1) + Le(0) + Le(0) + "0000" + "00" },
        { "zero lot", "01" + Le(0) + Le(1) + Le(0) + Le(0) + "0100" + Le(0) + Le(5) },
        { "too many lots", "01" + Le(0) + Le(1) + Le(0) + Le(0) + "1100" + string.Concat(Enumerable.Repeat(Le(1) + Le(5), 17)) },
        { "balances overflow", "01" + Le(0) + Le(ulong.MaxValue) + Le(1) + Le(0) + "0000" },
        { "longer than any account", new string('0', 2 * 2_000) },
    };

    [Theory]
    [MemberData(nameof(DamagedAccounts))]
    public void Damaged_account_record_is_reported(string what, string hex)
    {
        var manager = Create(out var state, StakeRules.Default, new GenesisStake(Id(1), 10_000, 5_000));
        state.Write(StateKey.For(StateNamespace.StakeAccount, Id(1)), Convert.FromHexString(hex));
        var digest = state.Digest;
        AssertCorrupt(() => manager.GetAccount(Id(1), 0), what);
        AssertCorrupt(() => manager.Bond(Id(1), 1_000, 1, At(1)), what);
        AssertCorrupt(() => manager.Slash(Id(1), Offence.Equivocation, Evidence(1), At(1)), what);
        AssertCorrupt(() => manager.BondedStake(Id(1)), what);
        Assert.Equal(digest, state.Digest);
    }

    [Fact]
    public void Damaged_ledger_history_evidence_or_directory_is_reported()
    {
        var manager = Create(out var state, StakeRules.Default, new GenesisStake(Id(1), 10_000, 5_000));
        Assert.True(manager.Slash(Id(1), Offence.Equivocation, Evidence(1), At(1)).Applied);

        state.Write(StateKey.For(StateNamespace.StakeHistory, Id(1)), [1, 1, 0, 9]);
        AssertCorrupt(() => manager.History(Id(1)), "short history");
        state.Write(StateKey.For(StateNamespace.StakeHistory, Id(1)), Convert.FromHexString("01" + "0100" + "0900" + Le(0) + Le(0) + Le(0)));
        AssertCorrupt(() => manager.History(Id(1)), "unknown kind");
        state.Write(StateKey.For(StateNamespace.StakeHistory, Id(1)), Convert.FromHexString("01" + "0100" + "0203" + Le(0) + Le(0) + Le(0)));
        AssertCorrupt(() => manager.History(Id(1)), "offence on a bond");

        state.Write(StateKey.For(StateNamespace.SlashedEvidence, Evidence(1)), new byte[SlashEvidenceRecord.EncodedSize + 1]);
        AssertCorrupt(() => manager.Slash(Id(1), Offence.Equivocation, Evidence(1), At(2)), "long evidence");

        state.Write(StateKey.For(StateNamespace.StakeLedger, 1), [1, 1, 0]);
        AssertCorrupt(() => new StakeManager(state, StakeRules.Default), "short directory page");

        state.Write(StateKey.For(StateNamespace.StakeLedger, 0), Convert.FromHexString("01" + Le(10) + Le(11) + "01000000"));
        AssertCorrupt(() => manager.SlashPool, "pool above supply");
        AssertCorrupt(() => new StakeManager(state, StakeRules.Default), "pool above supply");
    }

    [Fact]
    public void Slash_with_the_ledger_missing_is_reported_and_writes_nothing()
    {
        var manager = Create(out var state, StakeRules.Default, new GenesisStake(Id(1), 10_000, 5_000));
        state.Remove(StateKey.For(StateNamespace.StakeLedger, 0));
        var digest = state.Digest;
        AssertCorrupt(() => manager.Slash(Id(1), Offence.Equivocation, Evidence(1), At(1)), "missing ledger");
        Assert.Equal(digest, state.Digest);
    }

    [Fact]
    public void Directory_with_ids_out_of_order_is_reported()
    {
        var manager = Create(out var state, StakeRules.Default, new GenesisStake(Id(1), 1, 0), new GenesisStake(Id(2), 1, 0));
        Assert.Equal(2, manager.Validators.Count);
        state.Write(
            StateKey.For(StateNamespace.StakeLedger, 1),
            Convert.FromHexString("01" + "0200" + Convert.ToHexString(Id(2).ToArray()) + Convert.ToHexString(Id(1).ToArray())));
        AssertCorrupt(() => new StakeManager(state, StakeRules.Default), "out of order");
    }

    [Fact]
    public void Any_bytes_in_an_account_record_either_decode_or_are_reported_as_corrupt()
    {
        var manager = Create(out var state, StakeRules.Default, new GenesisStake(Id(1), 10_000, 5_000));
        var key = StateKey.For(StateNamespace.StakeAccount, Id(1));
        Gen.Frequency(
            (1, Gen.Byte.Array[0, 120]),
            (3, Gen.Select(Gen.Byte[0, 3], Gen.Byte[0, 3], Gen.Byte.Array[33], (l, u, body) => BuildAccount(body, l, u))))
            .Sample(bytes =>
            {
                state.Write(key, bytes);
                try
                {
                    var view = manager.GetAccount(Id(1), 0);
                    Assert.True(view.Locked <= view.Bonded && view.Withdrawable <= view.Unbonding);
                }
                catch (StorageException e)
                {
                    Assert.Equal(StorageError.StateCorrupt, e.Error);
                }
            }, iter: 2_000, threads: 1);
    }

    private static byte[] BuildAccount(byte[] body, byte lots, byte unbondings)
    {
        var bytes = new byte[35 + (16 * (lots + unbondings))];
        bytes[0] = 1;
        body.AsSpan(0, 32).CopyTo(bytes.AsSpan(1));
        bytes[33] = lots;
        bytes[34] = unbondings;
        for (var i = 35; i < bytes.Length; i++)
        {
            bytes[i] = body[i % body.Length];
        }

        return bytes;
    }

    private static void AssertCorrupt(Func<object> read, string what)
    {
        var e = Assert.Throws<StorageException>(read);
        Assert.True(e.Error == StorageError.StateCorrupt, $"{what}: {e.Error} {e.Message}");
    }

    private static byte[] Read(MemoryReplicatedState state, StateKey key)
    {
        var buffer = new byte[4096];
        Assert.True(state.TryRead(key, buffer, out var length));
        return buffer[..length];
    }

    private static string Le(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return Convert.ToHexStringLower(bytes);
    }
}
