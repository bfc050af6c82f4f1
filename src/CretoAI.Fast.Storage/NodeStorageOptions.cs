using CretoAI.Fast.Core;

namespace CretoAI.Fast.Storage;

/// <summary>Everything needed to open a node's data directory.</summary>
public sealed class NodeStorageOptions
{
    /// <summary>The data directory (see docs/storage.md for its layout).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Create the directory if it does not exist (false: a missing directory is an error).</summary>
    public bool CreateIfMissing { get; init; } = true;

    public ShardedStoreOptions Store { get; init; } = new();

    public WalOptions Wal { get; init; } = new();

    /// <summary>Complete checkpoints kept on disk (at least 1). The WAL is kept back to the oldest kept one, so recovery can fall back to it.</summary>
    public int CheckpointsToKeep { get; init; } = 2;

    public void Validate()
    {
        Store.Validate();
        Wal.Validate();
        if (CheckpointsToKeep is < 1 or > 16)
        {
            throw new InvalidSettingException(nameof(CheckpointsToKeep), $"{CheckpointsToKeep} is outside 1..16.");
        }
    }
}
