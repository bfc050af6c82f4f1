namespace CretoAI.Fast.Storage;

/// <summary>What opening the WAL found: how much is valid and, if a record failed its check, where and why.</summary>
public sealed record WalRecoveryReport(long BeginAddress, long ValidUntilAddress, long RecordCount, long? CorruptAddress, string? CorruptionReason)
{
    /// <summary>True when every committed record verified.</summary>
    public bool IsClean => CorruptAddress is null;
}
