using System.Buffers.Binary;
using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;
using CretoAI.Fast.Reputation.Scores;
using CretoAI.Fast.Reputation.Stake;

namespace CretoAI.Fast.Reputation.Ledger;

/// <summary>
/// Every chain constant the <see cref="ValidatorLedger"/> needs: the stake, reputation, weight and
/// adaptive-quorum rules plus the ledger's own clocks (epoch and participation window in blocks). All
/// belong in genesis: replicas with different rules compute different state.
/// </summary>
public sealed record LedgerRules
{
    public static LedgerRules Default { get; } = new();

    public StakeRules Stake { get; init; } = StakeRules.Default;

    public ReputationRules Reputation { get; init; } = ReputationRules.Default;

    public VotingWeightRules Weights { get; init; } = VotingWeightRules.Default;

    public AdaptiveQuorumRules Quorum { get; init; } = AdaptiveQuorumRules.Default;

    /// <summary>Blocks per epoch: at each multiple of this height the next epoch's weights are computed.</summary>
    public ulong EpochLengthBlocks { get; init; } = 1000;

    /// <summary>
    /// Blocks per participation window. A validator that signed no certificate and proposed no block
    /// in a whole window missed it (a reputation penalty); one that took part earns the uptime
    /// heartbeat. Certificates carry only the fewest signatures that reach the quorum, so one block
    /// says little about who is up; a window of several does.
    /// </summary>
    public ulong ParticipationWindowBlocks { get; init; } = 10;

    /// <summary>Consecutive missed windows that count as prolonged downtime (a stake slash).</summary>
    public uint DowntimeWindows { get; init; } = 6;

    /// <summary>Bytes of <see cref="ToCanonicalBytes"/>.</summary>
    public const int CanonicalSize = 1 + StakeRules.CanonicalSize + ReputationRules.CanonicalSize + (8 + 4 + 4) + (8 + 8 + 4 + 4 + 4 + 4 + 8 + 4) + 8 + 8 + 4;

    /// <summary>
    /// Every rule in a fixed little-endian layout, for the chain id (two chains whose ledgers differ in
    /// any constant must not accept each other): version 1; the stake rules (<see cref="StakeRules.WriteCanonical"/>);
    /// the reputation rules (<see cref="ReputationRules.WriteCanonical"/>); weights: minimum stake u64,
    /// minimum uptime ppm u32, cap percent u32; adaptive quorum: Byzantine window ms u64, calm period ms u64,
    /// elevated % u32, high % u32, elevated stability ppm u32, high stability ppm u32, activation delay u64,
    /// stability window rounds u32; then epoch length u64, participation window u64, downtime windows u32.
    /// </summary>
    public byte[] ToCanonicalBytes()
    {
        Validate();
        var bytes = new byte[CanonicalSize];
        var span = bytes.AsSpan();
        span[0] = 1;
        var o = 1;
        Stake.WriteCanonical(span[o..]);
        o += StakeRules.CanonicalSize;
        Reputation.WriteCanonical(span[o..]);
        o += ReputationRules.CanonicalSize;
        o = U64(span, o, Weights.MinimumStake);
        o = U32(span, o, Weights.MinimumUptimePpm);
        o = U32(span, o, Weights.CapPercent);
        o = U64(span, o, Quorum.ByzantineWindowMs);
        o = U64(span, o, Quorum.CalmPeriodMs);
        o = U32(span, o, Quorum.ElevatedByzantinePercent);
        o = U32(span, o, Quorum.HighByzantinePercent);
        o = U32(span, o, Quorum.ElevatedStabilityPpm);
        o = U32(span, o, Quorum.HighStabilityPpm);
        o = U64(span, o, Quorum.ActivationDelay);
        o = U32(span, o, Quorum.StabilityWindowRounds);
        o = U64(span, o, EpochLengthBlocks);
        o = U64(span, o, ParticipationWindowBlocks);
        _ = U32(span, o, DowntimeWindows);
        return bytes;
    }

    /// <summary>Throws <see cref="InvalidSettingException"/> naming the first bad setting; returns this.</summary>
    public LedgerRules Validate()
    {
        if (Stake is null || Reputation is null || Quorum is null)
        {
            throw new InvalidSettingException("ledger.rules", "stake, reputation and quorum rules are all required.");
        }

        Stake.Validate();
        Reputation.Validate();
        Quorum.Validate();
        if (ParticipationWindowBlocks is 0 or > 1_000_000)
        {
            throw new InvalidSettingException("ledger.participation-window", $"{ParticipationWindowBlocks} blocks is outside 1..1,000,000.");
        }

        if (EpochLengthBlocks == 0 || EpochLengthBlocks % ParticipationWindowBlocks != 0)
        {
            throw new InvalidSettingException("ledger.epoch-length", $"{EpochLengthBlocks} blocks must be a positive multiple of the participation window ({ParticipationWindowBlocks}).");
        }

        if (DowntimeWindows == 0)
        {
            throw new InvalidSettingException("ledger.downtime-windows", "must be at least 1.");
        }

        return this;
    }

    private static int U64(Span<byte> span, int offset, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(span[offset..], value);
        return offset + 8;
    }

    private static int U32(Span<byte> span, int offset, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], value);
        return offset + 4;
    }
}
