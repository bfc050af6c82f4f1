namespace CretoAI.Fast.Reputation.Stake;

/// <summary>
/// Result of a bond, unbond, withdrawal or slash: applied (<see cref="Rejection"/> is
/// <see cref="StakeRejection.None"/>) with the amount moved, or refused with a reason for the client.
/// </summary>
public readonly struct StakeOutcome : IEquatable<StakeOutcome>
{
    private StakeOutcome(StakeRejection rejection, ulong amount, string reason)
    {
        Rejection = rejection;
        Amount = amount;
        Reason = reason;
    }

    public StakeRejection Rejection { get; }

    /// <summary>Units moved (0 when refused).</summary>
    public ulong Amount { get; }

    /// <summary>Why the operation was refused, in words with the numbers involved; empty when applied.</summary>
    public string Reason => field ?? string.Empty;

    public bool Applied => Rejection == StakeRejection.None;

    public static StakeOutcome Moved(ulong amount) => new(StakeRejection.None, amount, string.Empty);

    public static StakeOutcome Refused(StakeRejection rejection, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(rejection, StakeRejection.None);
        return new(rejection, 0, reason);
    }

    public bool Equals(StakeOutcome other) => Rejection == other.Rejection && Amount == other.Amount && string.Equals(Reason, other.Reason, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is StakeOutcome other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Rejection, Amount);

    public static bool operator ==(StakeOutcome left, StakeOutcome right) => left.Equals(right);

    public static bool operator !=(StakeOutcome left, StakeOutcome right) => !left.Equals(right);

    public override string ToString() => Applied ? $"applied: {Amount:N0}" : $"{Rejection}: {Reason}";
}
