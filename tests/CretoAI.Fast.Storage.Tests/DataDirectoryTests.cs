namespace CretoAI.Fast.Storage.Tests;

public sealed class DataDirectoryTests
{
    [Fact]
    public void Second_open_of_the_same_directory_is_refused_with_the_holder()
    {
        using var dir = new TempDirectory();
        using (var first = DataDirectory.Open(dir.Path))
        {
            var error = Assert.Throws<StorageException>(() => DataDirectory.Open(dir.Path));
            Assert.Equal(StorageError.DirectoryLocked, error.Error);
            Assert.Contains(dir.Path, error.Message, StringComparison.Ordinal);
            Assert.Contains($"pid {Environment.ProcessId} ({Path.GetFileName(Environment.ProcessPath)}) since", error.Message, StringComparison.Ordinal);
        }

        // Released on dispose.
        using var again = DataDirectory.Open(dir.Path);
    }

    [Fact]
    public void Newer_format_is_refused()
    {
        using var dir = new TempDirectory();
        var newer = DataDirectory.FormatVersion + 1;
        File.WriteAllText(Path.Combine(dir.Path, DataDirectory.FormatFileName), $"cretoai-fast-storage {newer}\n");
        var error = Assert.Throws<StorageException>(() => DataDirectory.Open(dir.Path));
        Assert.Equal(StorageError.UnsupportedFormat, error.Error);
        Assert.Contains($"format {newer}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_1_is_refused_with_what_to_do_instead_of_being_misread()
    {
        // Format 1 stores had 16 MiB log pages: opening one with today's 2 MiB pages crashed the
        // process (access violation in FASTER) instead of failing.
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, DataDirectory.FormatFileName), "cretoai-fast-storage 1\n");
        var error = Assert.Throws<StorageException>(() => DataDirectory.Open(dir.Path));
        Assert.Equal(StorageError.UnsupportedFormat, error.Error);
        Assert.Contains("format 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("empty data directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_directory_is_written_as_the_current_format()
    {
        using var dir = new TempDirectory();
        using (var created = DataDirectory.Open(dir.Path))
        {
            Assert.Equal(4, created.Format);
        }

        Assert.Equal($"cretoai-fast-storage {DataDirectory.FormatVersion}", File.ReadAllText(Path.Combine(dir.Path, DataDirectory.FormatFileName)).Trim());
        Assert.Equal(4, DataDirectory.FormatVersion);
        using var reopened = DataDirectory.Open(dir.Path);
        Assert.Equal(4, reopened.Format);
    }

    [Fact]
    public void Garbage_format_file_is_refused()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, DataDirectory.FormatFileName), "something else");
        Assert.Equal(StorageError.UnsupportedFormat, Assert.Throws<StorageException>(() => DataDirectory.Open(dir.Path)).Error);
    }

    [Fact]
    public void Storage_files_without_a_format_file_are_refused()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "wal"));
        Assert.Equal(StorageError.UnsupportedFormat, Assert.Throws<StorageException>(() => DataDirectory.Open(dir.Path)).Error);
    }

    [Fact]
    public void Missing_directory_is_refused_when_creation_is_off()
    {
        using var dir = new TempDirectory();
        var missing = dir.Sub("nope");
        var error = Assert.Throws<StorageException>(() => DataDirectory.Open(missing, createIfMissing: false));
        Assert.Equal(StorageError.DirectoryMissing, error.Error);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Directory_that_cannot_be_created_is_reported()
    {
        using var dir = new TempDirectory();
        var file = dir.Sub("a-file");
        File.WriteAllText(file, "x");
        var error = Assert.Throws<StorageException>(() => DataDirectory.Open(Path.Combine(file, "data")));
        Assert.Equal(StorageError.DirectoryMissing, error.Error);
    }

    [Fact]
    public void Unwritable_directory_is_reported()
    {
        // /proc/self exists for every user, including root, and never accepts new files.
        var error = Assert.Throws<StorageException>(() => DataDirectory.Open("/proc/self"));
        Assert.Equal(StorageError.DirectoryNotWritable, error.Error);
        Assert.Contains("/proc/self", error.Message, StringComparison.Ordinal);
    }
}
