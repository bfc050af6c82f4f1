using FASTER.core;

namespace CretoAI.Fast.Storage;

/// <summary>Per-operation input handed to <see cref="ShardFunctions"/>; only read-modify-write uses it.</summary>
internal struct ShardInput
{
    /// <summary>The rule applied by read-modify-write; null for the other operations.</summary>
    public IValueUpdater? Updater;

    /// <summary>The caller's argument bytes, pinned by the caller for the duration of the operation.</summary>
    public SpanByte Argument;
}
