using CretoAI.Fast.Node.Settings;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.Blocks;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// A validator's storage (<see cref="NodeStorage"/> and its <see cref="BlockArchive"/>) being opened on a
/// pool thread while the rest of start-up (host, logging, metrics endpoint) runs on the caller's.
/// Opening is the largest part of an empty node's start-up (FASTER allocates and zeroes its first log
/// pages) and needs nothing from the host, so on two or more cores the two overlap. Opening only locks
/// the directory and reads what is there; recovery (checkpoint choice aside, WAL replay, ledger) still
/// runs in <see cref="ValidatorNode.StartAsync"/>, and a failure to open surfaces there, as before.
/// </summary>
/// <remarks>
/// Messages logged while opening (a skipped checkpoint, a damaged WAL) are held until the node
/// attaches the host's logger, then written in order. Whoever does not hand the storage to a node
/// disposes this object, which closes the storage once its opening has finished.
/// </remarks>
public sealed class StorageOpening : IDisposable
{
    private readonly HeldLogger _log = new();
    private readonly Task<(NodeStorage Storage, BlockArchive Archive)> _opening;
    private int _taken;

    private StorageOpening(string dataDirectory)
    {
        DataDirectory = dataDirectory;
        _opening = Task.Run(() => Open(dataDirectory, _log));
    }

    /// <summary>Absolute path of the data directory being opened.</summary>
    public string DataDirectory { get; }

    /// <summary>Starts opening the data directory of <paramref name="settings"/> (validated settings).</summary>
    public static StorageOpening Start(NodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new StorageOpening(Path.GetFullPath(settings.DataDirectory));
    }

    /// <summary>Waits for the opening and hands over the storage; rethrows what opening threw. Once only.</summary>
    internal (NodeStorage Storage, BlockArchive Archive) Take(ILogger log)
    {
        if (Interlocked.Exchange(ref _taken, 1) != 0)
        {
            throw new InvalidOperationException("The storage was already handed over.");
        }

        try
        {
            return _opening.GetAwaiter().GetResult();
        }
        finally
        {
            _log.Attach(log);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _taken, 1) != 0)
        {
            return;
        }

        try
        {
            var (storage, archive) = _opening.GetAwaiter().GetResult();
            archive.Dispose();
            storage.Dispose();
        }
#pragma warning disable CA1031 // Nobody used the storage; a failure to open it is not news to anyone.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static (NodeStorage, BlockArchive) Open(string dataDirectory, ILogger log)
    {
        var storage = NodeStorage.Open(new NodeStorageOptions { DataDirectory = dataDirectory }, log);
        try
        {
            return (storage, BlockArchive.Open(Path.Combine(dataDirectory, "blocks"), log));
        }
        catch
        {
            storage.Dispose();
            throw;
        }
    }
}
