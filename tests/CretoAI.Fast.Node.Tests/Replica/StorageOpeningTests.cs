using CretoAI.Fast.Node.Replica;
using CretoAI.Fast.Node.Settings;
using CretoAI.Fast.Node.Tests.Infrastructure;
using CretoAI.Fast.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CretoAI.Fast.Node.Tests.Replica;

public sealed class StorageOpeningTests() : TempRootTests("cretoai-opening-")
{
    [Fact]
    public void An_opening_nobody_takes_releases_the_directory_when_disposed()
    {
        var settings = new NodeSettings { DataDirectory = Path.Combine(Root, "data") };
        var opening = StorageOpening.Start(settings);
        opening.Dispose();

        using var storage = NodeStorage.Open(new NodeStorageOptions { DataDirectory = settings.DataDirectory });
        Assert.Null(storage.RecoveredCheckpoint);
    }

    [Fact]
    public async Task A_failure_to_open_surfaces_when_the_node_starts()
    {
        await using var cluster = new LocalCluster(1, Root);
        using var holder = NodeStorage.Open(new NodeStorageOptions { DataDirectory = cluster.Settings(0).DataDirectory });
        using var opening = StorageOpening.Start(cluster.Settings(0));
        await using var node = new ValidatorNode(cluster.Settings(0), cluster.Genesis, cluster.Key(0), NullLoggerFactory.Instance, storage: opening);

        var error = await Assert.ThrowsAsync<StorageException>(() => node.StartAsync(CancellationToken.None));
        Assert.Equal(StorageError.DirectoryLocked, error.Error);
    }

    [Fact]
    public void Messages_logged_before_the_logger_exists_are_written_in_order_when_it_is_attached()
    {
        var logger = new HeldLogger();
        logger.LogWarning("first {N}", 1);
        logger.LogError("second {N}", 2);

        using var capture = new LogCapture();
        logger.Attach(capture.CreateLogger("cretoai.storage"));
        logger.LogInformation("third {N}", 3);

        Assert.Equal(
            [(LogLevel.Warning, "first 1"), (LogLevel.Error, "second 2"), (LogLevel.Information, "third 3")],
            capture.Entries.Select(e => (e.Level, e.Message)));
    }
}
