using CretoAI.Fast.Core;
using CretoAI.Fast.Node.Settings;

namespace CretoAI.Fast.Node.Tests.Settings;

/// <summary><see cref="NodeSettings.ValidateFiles"/>: the start-up checks against the file system.</summary>
public sealed class NodeSettingsFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cretoai-settings-files-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_missing_data_directory_is_created_owner_only_and_the_files_must_exist()
    {
        var settings = Settings();
        settings.ValidateFiles();
        Assert.True(Directory.Exists(settings.DataDirectory));
        Assert.Empty(Directory.GetFileSystemEntries(settings.DataDirectory)); // the write probe is gone
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(settings.DataDirectory));
        }
    }

    [Fact]
    public void A_data_directory_that_cannot_be_created_is_refused()
    {
        var blocker = Path.Combine(_directory, "blocker");
        File.WriteAllText(blocker, "a file, not a directory");
        var settings = Settings();
        settings.DataDirectory = Path.Combine(blocker, "data");
        var error = Assert.Throws<InvalidSettingException>(settings.ValidateFiles);
        Assert.Equal("data_directory", error.Setting);
        Assert.StartsWith($"Setting 'data_directory': '{settings.DataDirectory}' is not writable by this process: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_data_directory_that_is_a_file_is_refused()
    {
        var settings = Settings();
        File.WriteAllText(settings.DataDirectory, "x");
        var error = Assert.Throws<InvalidSettingException>(settings.ValidateFiles);
        Assert.Equal($"Setting 'data_directory': '{settings.DataDirectory}' is a file, not a directory.", error.Message);
    }

    [Fact]
    public void A_read_only_data_directory_is_refused()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root")
        {
            return; // root writes through any mode; the case above covers the refusal path.
        }

        var settings = Settings();
        Directory.CreateDirectory(settings.DataDirectory);
        File.SetUnixFileMode(settings.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var error = Assert.Throws<InvalidSettingException>(settings.ValidateFiles);
            Assert.Contains("is not writable by this process", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(settings.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void A_missing_identity_key_names_the_setting_and_the_fix()
    {
        var settings = Settings();
        File.Delete(settings.IdentityKeyFile);
        var error = Assert.Throws<InvalidSettingException>(settings.ValidateFiles);
        Assert.Equal($"Setting 'identity_key_file': '{settings.IdentityKeyFile}' does not exist (create one with 'cretoai-fast keys generate').", error.Message);
    }

    [Fact]
    public void A_missing_genesis_file_names_the_setting()
    {
        var settings = Settings();
        File.Delete(settings.GenesisFile);
        var error = Assert.Throws<InvalidSettingException>(settings.ValidateFiles);
        Assert.Equal($"Setting 'genesis_file': '{settings.GenesisFile}' does not exist.", error.Message);
    }

    private NodeSettings Settings()
    {
        var key = Path.Combine(_directory, "node.key");
        var genesis = Path.Combine(_directory, "genesis.json");
        File.WriteAllText(key, "k");
        File.WriteAllText(genesis, "g");
        return new NodeSettings { DataDirectory = Path.Combine(_directory, "data"), IdentityKeyFile = key, GenesisFile = genesis };
    }
}
