namespace CretoAI.Fast.Reputation.Stake;

/// <summary>
/// Result of a slash: applied (<see cref="Rejection"/> is <see cref="StakeRejection.None"/>) with the
/// units moved to the slash pool (0 for an offence whose percentage is 0), or refused
/// (<see cref="StakeRejection.UnknownAccount"/>, <see cref="StakeRejection.AlreadySlashed"/>).
/// </summary>
public readonly struct SlashOutcome : IEquatable<SlashOutcome>
{
    private SlashOutcome(StakeRejection rejection, ulong amount, string reason)
    {
        Rejection = rejection;
        Amount = amount;
        Reason = reason;
    }

    public StakeRejection Rejection { get; }

    /// <summary>Units taken from the validator into the slash pool (0 when refused).</summary>
    public ulong Amount { get; }

    /// <summary>Why the slash was refused; empty when applied.</summary>
    public string Reason => field ?? string.Empty;

    public bool Applied => Rejection == StakeRejection.None;

    public static SlashOutcome Slashed(ulong amount) => new(StakeRejection.None, amount, string.Empty);

    public static SlashOutcome Refused(StakeRejection rejection, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(rejection, StakeRejection.None);
        return new(rejection, 0, reason);
    }

    public bool Equals(SlashOutcome other) => Rejection == other.Rejection && Amount == other.Amount && string.Equals(Reason, other.Reason, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is SlashOutcome other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Rejection, Amount);

    public static bool operator ==(SlashOutcome left, SlashOutcome right) => left.Equals(right);

    public static bool operator !=(SlashOutcome left, SlashOutcome right) => !left.Equals(right);

    public override string ToString() => Applied ? $"slashed: {Amount:N0}" : $"{Rejection}: {Reason}";
}
