using System.Buffers.Binary;
using CretoAI.Fast.Core;
using CretoAI.Fast.Reputation.Decay;

namespace CretoAI.Fast.Reputation.Scores;

/// <summary>
/// Chain constants of the reputation tracker; every validator must use the same values, so they
/// belong in genesis (<see cref="WriteCanonical"/> gives the bytes to hash into the chain id). Scores
/// are parts per million (1,000,000 = 1.0). Defaults are the seed's: start 0.5; +0.01 block
/// proposed, +0.005 vote cast, +0.002 uptime heartbeat, +0.03 confirmed report; −0.20 equivocation,
/// −0.15 invalid signature, −0.10 invalid block, −0.05 missed proposal, −0.02 missed vote; decay
/// toward the start value with a 30-day half-life.
/// </summary>
public sealed record ReputationRules
{
    /// <summary>Bytes of <see cref="WriteCanonical"/>.</summary>
    public const int CanonicalSize = 1 + 4 + (4 * 4) + (7 * 4) + 8 + 2;

    public static ReputationRules Default { get; } = new();

    /// <summary>Score of a subject never seen before, and the value scores decay toward.</summary>
    public uint StartPpm { get; init; } = ReputationDecay.StartPpm;

    public int BlockProposedPpm { get; init; } = 10_000;

    public int VoteCastPpm { get; init; } = 5_000;

    public int UptimeHeartbeatPpm { get; init; } = 2_000;

    public int ReportConfirmedPpm { get; init; } = 30_000;

    public int EquivocationPpm { get; init; } = -200_000;

    /// <summary>Signing against a committed block is equivocation at its worst: the same penalty by default.</summary>
    public int DoubleSignCommitPpm { get; init; } = -200_000;

    public int InvalidBlockPpm { get; init; } = -100_000;

    public int InvalidSignaturePpm { get; init; } = -150_000;

    /// <summary>Downtime is already paid per window as missed votes; the slash is the stake manager's.</summary>
    public int ProlongedDowntimePpm { get; init; }

    public int MissedProposalPpm { get; init; } = -50_000;

    public int MissedVotePpm { get; init; } = -20_000;

    /// <summary>Half-life of the decay toward <see cref="StartPpm"/>, in block-timestamp milliseconds (a multiple of 2,048).</summary>
    public ulong HalfLifeMs { get; init; } = 30UL * 24 * 60 * 60 * 1000;

    /// <summary>Changes kept per subject in its history.</summary>
    public int HistoryLength { get; init; } = 16;

    /// <summary>Throws <see cref="InvalidSettingException"/> naming the first bad setting; returns this.</summary>
    public ReputationRules Validate()
    {
        if (StartPpm > ReputationDecay.MaxPpm)
        {
            throw new InvalidSettingException("reputation.start", $"{StartPpm} ppm is above 1,000,000 (1.0).");
        }

        if (StartPpm != ReputationDecay.StartPpm)
        {
            throw new InvalidSettingException("reputation.start", $"the decay kernel decays toward {ReputationDecay.StartPpm} ppm; a start of {StartPpm} is not supported.");
        }

        CheckReward("reputation.block-proposed", BlockProposedPpm);
        CheckReward("reputation.vote-cast", VoteCastPpm);
        CheckReward("reputation.uptime-heartbeat", UptimeHeartbeatPpm);
        CheckReward("reputation.report-confirmed", ReportConfirmedPpm);
        CheckPenalty("reputation.equivocation", EquivocationPpm);
        CheckPenalty("reputation.double-sign-commit", DoubleSignCommitPpm);
        CheckPenalty("reputation.invalid-block", InvalidBlockPpm);
        CheckPenalty("reputation.invalid-signature", InvalidSignaturePpm);
        CheckPenalty("reputation.prolonged-downtime", ProlongedDowntimePpm);
        CheckPenalty("reputation.missed-proposal", MissedProposalPpm);
        CheckPenalty("reputation.missed-vote", MissedVotePpm);
        try
        {
            _ = ReputationDecay.TickLengthMs(HalfLifeMs);
        }
        catch (ArgumentException e)
        {
            throw new InvalidSettingException("reputation.half-life", e.Message, e);
        }

        if (HistoryLength is < 1 or > 1024)
        {
            throw new InvalidSettingException("reputation.history-length", $"{HistoryLength} is outside 1..1024.");
        }

        return this;
    }

    /// <summary>The change an event makes before clamping to 0..1,000,000.</summary>
    public int DeltaOf(ReputationCause cause, Offence offence) => cause switch
    {
        ReputationCause.BlockProposed => BlockProposedPpm,
        ReputationCause.VoteCast => VoteCastPpm,
        ReputationCause.UptimeHeartbeat => UptimeHeartbeatPpm,
        ReputationCause.ReportConfirmed => ReportConfirmedPpm,
        ReputationCause.Offence => offence switch
        {
            Offence.Equivocation => EquivocationPpm,
            Offence.DoubleSignCommit => DoubleSignCommitPpm,
            Offence.InvalidBlock => InvalidBlockPpm,
            Offence.InvalidSignature => InvalidSignaturePpm,
            Offence.ProlongedDowntime => ProlongedDowntimePpm,
            Offence.MissedProposal => MissedProposalPpm,
            Offence.MissedVote => MissedVotePpm,
            _ => throw new ArgumentOutOfRangeException(nameof(offence), offence, "Unknown offence."),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, "Not an event with a delta."),
    };

    /// <summary>Fixed little-endian encoding of every rule, in declaration order, version byte first.</summary>
    public void WriteCanonical(Span<byte> destination)
    {
        if (destination.Length < CanonicalSize)
        {
            throw new ArgumentException($"Needs {CanonicalSize} bytes.", nameof(destination));
        }

        destination[0] = 1;
        var o = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[o..], StartPpm);
        o += 4;
        foreach (var value in (ReadOnlySpan<int>)[BlockProposedPpm, VoteCastPpm, UptimeHeartbeatPpm, ReportConfirmedPpm, EquivocationPpm, DoubleSignCommitPpm, InvalidBlockPpm, InvalidSignaturePpm, ProlongedDowntimePpm, MissedProposalPpm, MissedVotePpm])
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination[o..], value);
            o += 4;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(destination[o..], HalfLifeMs);
        o += 8;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[o..], (ushort)HistoryLength);
    }

    private static void CheckReward(string name, int value)
    {
        if (value is < 0 or > 1_000_000)
        {
            throw new InvalidSettingException(name, $"{value} ppm: a reward is 0..1,000,000.");
        }
    }

    private static void CheckPenalty(string name, int value)
    {
        if (value is > 0 or < -1_000_000)
        {
            throw new InvalidSettingException(name, $"{value} ppm: a penalty is −1,000,000..0.");
        }
    }
}
