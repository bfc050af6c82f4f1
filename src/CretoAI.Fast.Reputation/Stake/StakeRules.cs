using System.Buffers.Binary;
using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Reputation.Stake;

/// <summary>
/// Chain constants of the stake manager. Every validator must apply the same values, so they belong in
/// the genesis configuration and are hashed into the chain id through <see cref="WriteCanonical"/>.
/// Defaults are the seed's: bonds of 1,000..1,000,000 units, a new bond locked 24 h, unbonding 7 days,
/// slashing 30 / 25 / 15 / 10 / 5 % for the slashable offences. Amounts are whole units.
/// </summary>
public sealed class StakeRules
{
    /// <summary>Bytes written by <see cref="WriteCanonical"/>.</summary>
    public const int CanonicalSize = 52;

    /// <summary>First byte of the canonical form; bumped when the layout changes.</summary>
    public const byte CanonicalVersion = 1;

    /// <summary>Longest lock or unbonding period accepted: 10 years. A longer one is a unit mistake (seconds for milliseconds).</summary>
    public const ulong MaxPeriodMs = 10UL * 366 * 24 * 60 * 60 * 1000;

    /// <summary>Upper bound of <see cref="MaxPendingEntries"/>: keeps an account record near 2 KiB.</summary>
    public const int MaxPendingEntriesLimit = 64;

    /// <summary>Upper bound of <see cref="HistoryLength"/>.</summary>
    public const int HistoryLengthLimit = 256;

    /// <summary>Upper bound of <see cref="MaxAccounts"/>.</summary>
    public const int MaxAccountsLimit = 65_536;

    /// <summary>The seed's rules.</summary>
    public static StakeRules Default { get; } = new();

    /// <summary>Smallest non-zero bonded total a validator may have after a bond or an unbond.</summary>
    public ulong MinimumBond { get; init; } = 1_000;

    /// <summary>Largest bonded total per validator.</summary>
    public ulong MaximumBond { get; init; } = 1_000_000;

    /// <summary>A new bond cannot be unbonded until this long after the block that bonded it.</summary>
    public ulong BondLockMs { get; init; } = 24UL * 60 * 60 * 1000;

    /// <summary>Unbonded stake becomes withdrawable this long after the unbond (it stays slashable meanwhile).</summary>
    public ulong UnbondingPeriodMs { get; init; } = 7UL * 24 * 60 * 60 * 1000;

    public int EquivocationSlashPercent { get; init; } = 30;

    public int DoubleSignCommitSlashPercent { get; init; } = 25;

    public int InvalidBlockSlashPercent { get; init; } = 15;

    public int InvalidSignatureSlashPercent { get; init; } = 10;

    public int ProlongedDowntimeSlashPercent { get; init; } = 5;

    /// <summary>0 by default: a missed proposal costs reputation, not stake.</summary>
    public int MissedProposalSlashPercent { get; init; }

    /// <summary>0 by default: a missed vote costs reputation, not stake.</summary>
    public int MissedVoteSlashPercent { get; init; }

    /// <summary>
    /// Most bond lots still locked, and separately most unbonding entries, per validator: bounds the
    /// account record and the work of every operation.
    /// </summary>
    public int MaxPendingEntries { get; init; } = 16;

    /// <summary>Operations kept per validator in its history (the oldest is dropped).</summary>
    public int HistoryLength { get; init; } = 32;

    /// <summary>Most stake accounts (all created at genesis).</summary>
    public int MaxAccounts { get; init; } = 4096;

    /// <summary>The percentage of the slashable stake that <paramref name="offence"/> costs.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offence"/> is not a defined value.</exception>
    public int SlashPercent(Offence offence) => offence switch
    {
        Offence.Equivocation => EquivocationSlashPercent,
        Offence.DoubleSignCommit => DoubleSignCommitSlashPercent,
        Offence.InvalidBlock => InvalidBlockSlashPercent,
        Offence.InvalidSignature => InvalidSignatureSlashPercent,
        Offence.ProlongedDowntime => ProlongedDowntimeSlashPercent,
        Offence.MissedProposal => MissedProposalSlashPercent,
        Offence.MissedVote => MissedVoteSlashPercent,
        _ => throw new ArgumentOutOfRangeException(nameof(offence), offence, "Not a defined offence."),
    };

    /// <summary>Throws <see cref="InvalidSettingException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (MinimumBond == 0)
        {
            throw new InvalidSettingException(nameof(MinimumBond), "must be at least 1 (a zero bond is not a bond).");
        }

        if (MaximumBond < MinimumBond)
        {
            throw new InvalidSettingException(nameof(MaximumBond), $"{MaximumBond:N0} is below {nameof(MinimumBond)} ({MinimumBond:N0}).");
        }

        // The bonded total feeds the voting weight, whose inputs are bounded to keep its arithmetic exact.
        if (MaximumBond > VotingWeights.MaxStake)
        {
            throw new InvalidSettingException(nameof(MaximumBond), $"{MaximumBond:N0} is above the voting weight's largest stake ({VotingWeights.MaxStake:N0}).");
        }

        if (BondLockMs > MaxPeriodMs)
        {
            throw new InvalidSettingException(nameof(BondLockMs), $"{BondLockMs:N0} ms is above 10 years.");
        }

        // With no unbonding period a validator could leave before its evidence is committed.
        if (UnbondingPeriodMs is 0 or > MaxPeriodMs)
        {
            throw new InvalidSettingException(nameof(UnbondingPeriodMs), $"{UnbondingPeriodMs:N0} ms is outside 1 ms..10 years.");
        }

        CheckPercent(nameof(EquivocationSlashPercent), EquivocationSlashPercent);
        CheckPercent(nameof(DoubleSignCommitSlashPercent), DoubleSignCommitSlashPercent);
        CheckPercent(nameof(InvalidBlockSlashPercent), InvalidBlockSlashPercent);
        CheckPercent(nameof(InvalidSignatureSlashPercent), InvalidSignatureSlashPercent);
        CheckPercent(nameof(ProlongedDowntimeSlashPercent), ProlongedDowntimeSlashPercent);
        CheckPercent(nameof(MissedProposalSlashPercent), MissedProposalSlashPercent);
        CheckPercent(nameof(MissedVoteSlashPercent), MissedVoteSlashPercent);

        if (MaxPendingEntries is < 1 or > MaxPendingEntriesLimit)
        {
            throw new InvalidSettingException(nameof(MaxPendingEntries), $"{MaxPendingEntries} is outside 1..{MaxPendingEntriesLimit}.");
        }

        if (HistoryLength is < 1 or > HistoryLengthLimit)
        {
            throw new InvalidSettingException(nameof(HistoryLength), $"{HistoryLength} is outside 1..{HistoryLengthLimit}.");
        }

        if (MaxAccounts is < 1 or > MaxAccountsLimit)
        {
            throw new InvalidSettingException(nameof(MaxAccounts), $"{MaxAccounts} is outside 1..{MaxAccountsLimit:N0}.");
        }
    }

    /// <summary>
    /// Writes the rules in a fixed little-endian layout of <see cref="CanonicalSize"/> bytes, for the
    /// chain id hash: [0] version (1); [1..9) MinimumBond u64; [9..17) MaximumBond u64; [17..25)
    /// BondLockMs u64; [25..33) UnbondingPeriodMs u64; [33..40) slash percent u8 for Offence 1..7 in
    /// enum order (Equivocation, DoubleSignCommit, InvalidBlock, InvalidSignature, ProlongedDowntime,
    /// MissedProposal, MissedVote); [40..44) MaxPendingEntries u32; [44..48) HistoryLength u32;
    /// [48..52) MaxAccounts u32.
    /// </summary>
    /// <exception cref="InvalidSettingException">The rules are invalid (only valid rules have a canonical form).</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="CanonicalSize"/>.</exception>
    public void WriteCanonical(Span<byte> destination)
    {
        Validate();
        if (destination.Length < CanonicalSize)
        {
            throw new ArgumentException($"The canonical stake rules are {CanonicalSize} bytes; the destination holds {destination.Length}.", nameof(destination));
        }

        destination[0] = CanonicalVersion;
        BinaryPrimitives.WriteUInt64LittleEndian(destination[1..], MinimumBond);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[9..], MaximumBond);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[17..], BondLockMs);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[25..], UnbondingPeriodMs);
        for (var offence = Offence.Equivocation; offence <= Offence.MissedVote; offence++)
        {
            destination[33 + (int)offence - 1] = (byte)SlashPercent(offence);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination[40..], (uint)MaxPendingEntries);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[44..], (uint)HistoryLength);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[48..], (uint)MaxAccounts);
    }

    /// <summary>The canonical form as a new array (see <see cref="WriteCanonical"/>).</summary>
    public byte[] ToCanonicalBytes()
    {
        var bytes = new byte[CanonicalSize];
        WriteCanonical(bytes);
        return bytes;
    }

    private static void CheckPercent(string setting, int percent)
    {
        if (percent is < 0 or > 100)
        {
            throw new InvalidSettingException(setting, $"{percent} is outside 0..100 %.");
        }
    }
}
