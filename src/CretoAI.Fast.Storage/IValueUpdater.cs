namespace CretoAI.Fast.Storage;

/// <summary>
/// A read-modify-write rule for <see cref="ShardedStore.ReadModifyWrite"/>: how big the new value is and how
/// to produce it from the current one (or from nothing, when the key is absent) and an argument.
/// Implementations must be deterministic and thread-safe (usually stateless singletons), because the same
/// updater may run on several shards at once and runs again when state is rebuilt from the WAL.
/// </summary>
public interface IValueUpdater
{
    /// <summary>Length of the value created when the key does not exist yet.</summary>
    int InitialLength(ReadOnlySpan<byte> argument);

    /// <summary>Writes the value created when the key does not exist yet.</summary>
    void WriteInitial(ReadOnlySpan<byte> argument, Span<byte> destination);

    /// <summary>Length of the value that replaces <paramref name="current"/>.</summary>
    int UpdatedLength(ReadOnlySpan<byte> current, ReadOnlySpan<byte> argument);

    /// <summary>Writes the value that replaces <paramref name="current"/>; the two spans never overlap.</summary>
    void WriteUpdated(ReadOnlySpan<byte> current, ReadOnlySpan<byte> argument, Span<byte> destination);
}
