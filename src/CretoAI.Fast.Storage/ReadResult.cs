namespace CretoAI.Fast.Storage;

/// <summary>Outcome of <see cref="ShardedStore.Read"/>.</summary>
public enum ReadResult
{
    /// <summary>No value under the key (never written or deleted).</summary>
    NotFound = 0,

    /// <summary>The value was copied into the destination.</summary>
    Found = 1,

    /// <summary>A value exists but the destination is smaller than the reported length; nothing was copied.</summary>
    DestinationTooSmall = 2,
}
