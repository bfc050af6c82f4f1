namespace CretoAI.Fast.Storage;

/// <summary>
/// Framing flags in a WAL record header (storage format 3). A payload larger than one log page is
/// written as consecutive parts of the same kind: every part but the last carries
/// <see cref="Continues"/>. Readers join the parts and return one record whose address is the first
/// part's. A split record left incomplete at the end of the committed log (a commit landed between
/// its parts, then the process died) was never acknowledged; the log is reopened with a
/// <see cref="DropsIncomplete"/> marker after it so later records are never joined to it.
/// </summary>
[Flags]
public enum WalRecordFlags : ushort
{
    /// <summary>A whole record.</summary>
    None = 0,

    /// <summary>This part of a split record is followed by more parts.</summary>
    Continues = 1,

    /// <summary>A marker, never returned to callers: discard the incomplete split record before it.</summary>
    DropsIncomplete = 2,

    /// <summary>Every defined bit.</summary>
    All = Continues | DropsIncomplete,
}
