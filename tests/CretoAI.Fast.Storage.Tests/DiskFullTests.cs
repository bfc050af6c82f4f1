using System.Diagnostics;
using Xunit.Abstractions;

namespace CretoAI.Fast.Storage.Tests;

/// <summary>
/// Disk full during append: the failing commit is reported as a <see cref="StorageException"/>, the log
/// refuses further appends, and everything committed before is intact after a restart. Uses a real 1 MiB
/// tmpfs when this process may mount one (root on Linux, as in CI), otherwise a device that fails writes
/// with ENOSPC once a byte budget is spent; both paths assert the same behaviour.
/// </summary>
public sealed class DiskFullTests
{
    private static readonly WalOptions Options = new() { PageSizeBits = 14, MemorySizeBits = 16, SegmentSizeBits = 20 };
    private readonly ITestOutputHelper _output;

    public DiskFullTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Disk_full_fails_the_commit_and_keeps_what_was_committed(bool realFilesystem)
    {
        using var dir = new TempDirectory();
        var mountPoint = dir.Sub("small");
        Directory.CreateDirectory(mountPoint);
        var mounted = realFilesystem && TryMountTmpfs(mountPoint);
        _output.WriteLine(mounted ? "using a 1 MiB tmpfs" : "using an injected ENOSPC device (requested, or mount not permitted)");
        try
        {
            var walDirectory = Path.Combine(mountPoint, "wal");
            var acknowledged = new List<byte[]>();
            StorageException? failure = null;
            using (var wal = mounted
                ? WriteAheadLog.Open(walDirectory, Options)
                : WriteAheadLog.Open(walDirectory, Options, logger: null, deviceFactory: path => new FailingDevice(path, budgetBytes: 1 << 20)))
            {
                for (var i = 0; i < 100_000 && failure is null; i++)
                {
                    var payload = TestData.Value(i, 1000);
                    try
                    {
                        wal.Append(WalRecordKind.Block, payload);
                        wal.Commit();
                        acknowledged.Add(payload);
                    }
                    catch (StorageException ex)
                    {
                        failure = ex;
                    }
                }

                Assert.NotNull(failure);
                _output.WriteLine($"{acknowledged.Count} commits before: {failure.Message} / {failure.InnerException}");
                Assert.Equal(StorageError.DiskFull, failure.Error);
                Assert.Contains(walDirectory, failure.Message, StringComparison.Ordinal);
                Assert.InRange(acknowledged.Count, 100, 1100);

                // The log stays failed: no later append can slip in behind the hole.
                Assert.Equal(StorageError.DiskFull, Assert.Throws<StorageException>(() => wal.Append(WalRecordKind.Block, "after"u8)).Error);
            }

            // "Free space and restart": copy the files to a roomy disk and reopen there.
            var restored = dir.Sub("restored");
            CopyDirectory(walDirectory, restored);
            using var reopened = WriteAheadLog.Open(restored, Options);
            Assert.True(reopened.Recovery.IsClean, reopened.Recovery.CorruptionReason);
            using var reader = reopened.Scan(reopened.BeginAddress);
            var count = 0;
            while (reader.TryReadNext(out var record))
            {
                if (count < acknowledged.Count)
                {
                    Assert.True(record.Payload.SequenceEqual(acknowledged[count]), $"record {count} changed");
                }

                count++;
            }

            Assert.InRange(count, acknowledged.Count, acknowledged.Count + 1);
            reopened.Append(WalRecordKind.Block, "after restart"u8);
            reopened.Commit();
        }
        finally
        {
            if (mounted)
            {
                Run("umount", mountPoint);
            }
        }
    }

    private static bool TryMountTmpfs(string path) =>
        OperatingSystem.IsLinux() && Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", path) == 0;

    private static int Run(string file, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var sub in Directory.GetDirectories(from))
        {
            CopyDirectory(sub, Path.Combine(to, Path.GetFileName(sub)));
        }
    }
}
