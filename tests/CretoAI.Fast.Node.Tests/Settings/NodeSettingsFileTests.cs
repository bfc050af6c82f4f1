using CretoAI.Fast.Core;
using CretoAI.Fast.Node.Settings;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Tests.Settings;

public sealed class NodeSettingsFileTests : IDisposable
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private readonly string _directory = Directory.CreateTempSubdirectory("cretoai-settings-").FullName;

    private string ConfigPath => Path.Combine(_directory, "etc", "cretoai-fast.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Environment_variable_names_are_the_prefix_and_the_setting_upper_cased()
    {
        Assert.Equal("CRETOAI_FAST_DATA_DIRECTORY", NodeSettingsFile.EnvironmentVariableFor("data_directory"));
        Assert.Equal("CRETOAI_FAST_LISTEN", NodeSettingsFile.EnvironmentVariableFor("listen"));
        Assert.Equal("CRETOAI_FAST_MEMPOOL_MAX_BYTES", NodeSettingsFile.EnvironmentVariableFor("mempool_max_bytes"));
        Assert.Throws<ArgumentException>(() => NodeSettingsFile.EnvironmentVariableFor("nope"));
        Assert.Equal(41, NodeSettingsFile.SettingNames.Count);
    }

    [Fact]
    public void Without_a_file_the_defaults_apply_and_paths_resolve_against_the_current_directory()
    {
        var settings = NodeSettingsFile.Load(null, NoEnvironment, null);
        var defaults = new NodeSettings();
        Assert.Equal(Path.GetFullPath("data"), settings.DataDirectory);
        Assert.Equal(Path.GetFullPath("node.key"), settings.IdentityKeyFile);
        Assert.Equal(defaults.Listen, settings.Listen);
        Assert.Equal(defaults.MempoolMaxBytes, settings.MempoolMaxBytes);
        Assert.Equal(LogLevel.Information, settings.LogLevel);
        Assert.True(settings.Watchdog);
        Assert.Empty(settings.Peers);
    }

    [Fact]
    public void Command_line_beats_environment_which_beats_the_file()
    {
        WriteConfig("""
            {
              // the file's values
              "listen": "127.0.0.1:7000",
              "peers": ["127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7003"],
              "mempool_max_transactions": 111,
              "log_level": "Warning",
              "watchdog": false,
            }
            """);
        var environment = Environment(
            ("CRETOAI_FAST_LISTEN", "127.0.0.1:8000"),
            ("CRETOAI_FAST_PEERS", "127.0.0.1:8001, peer.example:8002"),
            ("CRETOAI_FAST_LOG_LEVEL", "debug"));

        var fileOnly = NodeSettingsFile.Load(ConfigPath, NoEnvironment, null);
        Assert.Equal("127.0.0.1:7000", fileOnly.Listen);
        Assert.Equal(3, fileOnly.Peers.Count);
        Assert.Equal(111, fileOnly.MempoolMaxTransactions);
        Assert.Equal(LogLevel.Warning, fileOnly.LogLevel);
        Assert.False(fileOnly.Watchdog);

        var withEnvironment = NodeSettingsFile.Load(ConfigPath, environment, null);
        Assert.Equal("127.0.0.1:8000", withEnvironment.Listen);
        Assert.Equal(["127.0.0.1:8001", "peer.example:8002"], withEnvironment.Peers); // a list is replaced whole
        Assert.Equal(111, withEnvironment.MempoolMaxTransactions); // not in the environment: the file's
        Assert.Equal(LogLevel.Debug, withEnvironment.LogLevel);

        var withCommandLine = NodeSettingsFile.Load(ConfigPath, environment, ["listen=127.0.0.1:9000", "mempool-max-transactions=222", "peers=", "watchdog=on"]);
        Assert.Equal("127.0.0.1:9000", withCommandLine.Listen);
        Assert.Equal(222, withCommandLine.MempoolMaxTransactions);
        Assert.Empty(withCommandLine.Peers);
        Assert.True(withCommandLine.Watchdog);
        Assert.Equal(LogLevel.Debug, withCommandLine.LogLevel); // environment still wins over the file
    }

    [Fact]
    public void Later_set_of_the_same_setting_wins()
    {
        var settings = NodeSettingsFile.Load(null, NoEnvironment, ["listen=127.0.0.1:1", "listen=127.0.0.1:2"]);
        Assert.Equal("127.0.0.1:2", settings.Listen);
    }

    [Fact]
    public void Relative_paths_from_every_layer_resolve_against_the_config_files_directory()
    {
        WriteConfig("""{ "data_directory": "data", "identity_key_file": "../keys/node.key", "genesis_file": "/opt/chain/genesis.json" }""");
        var configDirectory = Path.GetDirectoryName(ConfigPath)!;

        var fromFile = NodeSettingsFile.Load(ConfigPath, NoEnvironment, null);
        Assert.Equal(Path.Combine(configDirectory, "data"), fromFile.DataDirectory);
        Assert.Equal(Path.Combine(_directory, "keys", "node.key"), fromFile.IdentityKeyFile);
        Assert.Equal("/opt/chain/genesis.json", fromFile.GenesisFile);

        var overridden = NodeSettingsFile.Load(ConfigPath, Environment(("CRETOAI_FAST_DATA_DIRECTORY", "state")), ["genesis_file=g.json"]);
        Assert.Equal(Path.Combine(configDirectory, "state"), overridden.DataDirectory);
        Assert.Equal(Path.Combine(configDirectory, "g.json"), overridden.GenesisFile);
    }

    public static TheoryData<string, string> BadValues => new()
    {
        { "listen=127.0.0.1:99999", "Setting 'listen': '127.0.0.1:99999': '99999' is not a valid port (1..65535)" },
        { "listen=127.0.0.1:0", "Setting 'listen': '127.0.0.1:0': '0' is not a valid port (1..65535)" },
        { "listen=localhost:7400", "Setting 'listen': 'localhost:7400': 'localhost' is not an IP address" },
        { "listen=7400", "Setting 'listen': '7400' is not HOST:PORT" },
        { "peers=127.0.0.1:7401,no-port", "Setting 'peers[1]': 'no-port' is not HOST:PORT" },
        { "peers=127.0.0.1:7401,bad host:1", "Setting 'peers[1]': 'bad host:1': 'bad host' is neither an IP address nor a host name" },
        { "peers=127.0.0.1:7401,127.0.0.1:7401", "Setting 'peers[1]': '127.0.0.1:7401' is listed twice (also peers[0])" },
        { "peers=127.0.0.1:7400", "Setting 'peers[0]': '127.0.0.1:7400' is this node's own listen address" },
        { "metrics_listen=127.0.0.1:7400", "Setting 'metrics_listen': '127.0.0.1:7400' overlaps the listen address '127.0.0.1:7400'" },
        { "metrics_listen=127.0.0.1:70000", "Setting 'metrics_listen': '127.0.0.1:70000': '70000' is not a valid port (1..65535)" },
        { "mempool_max_transactions=0", "Setting 'mempool_max_transactions': 0 is outside 1..10000000" },
        { "mempool_max_bytes=1000", "Setting 'mempool_max_bytes': 1000 must be ≥ 1 MiB (1048576 bytes)" },
        { "checkpoint_every_blocks=0", "Setting 'checkpoint_every_blocks': 0 is outside 1..10000000" },
        { "idle_proposal_delay_ms=-1", "Setting 'idle_proposal_delay_ms': -1 is outside 0..60000" },
        { "sync_batch_blocks=0", "Setting 'sync_batch_blocks': 0 is outside 1..10000" },
        { "sync_batch_max_bytes=9000000", "Setting 'sync_batch_max_bytes': 9000000 is above max_frame_payload_bytes (8388608): a catch-up response must fit in one frame" },
        { "sync_batch_max_bytes=1000", "Setting 'sync_batch_max_bytes': 1000 is outside 65536..8388608" },
        { "max_frame_payload_bytes=100", "Setting 'max_frame_payload_bytes': 100 is outside 16384..16777216" },
        { "shutdown_timeout_seconds=0", "Setting 'shutdown_timeout_seconds': 0 is outside 1..3600" },
        { "net_busy_poll_us=-1", "Setting 'net_busy_poll_us': -1 is outside 0..1000" },
        { "net_busy_poll_us=1001", "Setting 'net_busy_poll_us': 1001 is outside 0..1000" },
        { "verify_threads=-1", "Setting 'verify_threads': -1 is outside 0..1024" },
        { "verify_threads=1025", "Setting 'verify_threads': 1025 is outside 0..1024" },
        { "data_directory=", "Setting 'data_directory': must not be empty" },
        { "log_level=Loud", "Setting 'log_level': 'Loud' is not a log level (Trace, Debug, Information, Warning, Error, Critical, None)" },
        { "watchdog=maybe", "Setting 'watchdog': 'maybe' is not a boolean" },
        { "mempool_max_transactions=abc", "Setting 'mempool_max_transactions': 'abc' is not an integer" },
        { "mempool_max_transactions=99999999999", "Setting 'mempool_max_transactions': 99999999999 is too large (at most 2147483647)" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Each_bad_value_is_refused_naming_the_setting_why_and_where_it_was_set(string set, string expected)
    {
        var error = Assert.Throws<InvalidSettingException>(() => NodeSettingsFile.Load(null, NoEnvironment, [set]));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"(set by --set {set}).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_environment_value_names_its_variable()
    {
        var error = Assert.Throws<InvalidSettingException>(() => NodeSettingsFile.Load(null, Environment(("CRETOAI_FAST_MEMPOOL_MAX_BYTES", "5")), null));
        Assert.Equal("mempool_max_bytes", error.Setting);
        Assert.EndsWith("(set by environment variable CRETOAI_FAST_MEMPOOL_MAX_BYTES).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_value_names_the_file()
    {
        WriteConfig("""{ "peers": ["127.0.0.1:1", "127.0.0.1:x"] }""");
        var error = Assert.Throws<InvalidSettingException>(() => NodeSettingsFile.Load(ConfigPath, NoEnvironment, null));
        Assert.Equal("peers[1]", error.Setting);
        Assert.Equal($"Setting 'peers[1]': '127.0.0.1:x': 'x' is not a valid port (1..65535) (set by config file '{ConfigPath}').", error.Message);
    }

    [Theory]
    [InlineData("""{ "lisen": "127.0.0.1:1" }""", "Setting 'lisen': not a setting (did you mean 'listen'?), in config file")]
    [InlineData("""{ "listen": 7400 }""", "Setting 'listen': expected a string, got a JSON number (7400)")]
    [InlineData("""{ "mempool_max_bytes": "1MiB" }""", "Setting 'mempool_max_bytes': expected an integer, got a JSON string")]
    [InlineData("""{ "mempool_max_bytes": 1.5 }""", "Setting 'mempool_max_bytes': expected an integer, got a JSON number (1.5)")]
    [InlineData("""{ "watchdog": "yes" }""", "Setting 'watchdog': expected true or false, got a JSON string")]
    [InlineData("""{ "peers": "127.0.0.1:1" }""", "Setting 'peers': expected an array of strings, got a JSON string")]
    [InlineData("""{ "peers": [1] }""", "Setting 'peers[0]': expected a string, got a JSON number (1)")]
    [InlineData("""{ "listen": "127.0.0.1:1", "listen": "127.0.0.1:2" }""", "Setting '--config': config file")]
    [InlineData("""{ "listen": "127.0.0.1:1", "peers": [], "listen": "127.0.0.1:2" }""", "sets 'listen' more than once")]
    [InlineData("""[ "listen" ]""", "holds a JSON array; expected an object of settings")]
    [InlineData("""{ "listen": """, "is not valid JSON at line 1")]
    public void A_malformed_config_file_is_refused_with_the_reason(string json, string expected)
    {
        WriteConfig(json);
        var error = Assert.Throws<InvalidSettingException>(() => NodeSettingsFile.Load(ConfigPath, NoEnvironment, null));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_config_file_is_refused()
    {
        var error = Assert.Throws<InvalidSettingException>(() => NodeSettingsFile.Load(ConfigPath, NoEnvironment, null));
        Assert.Equal($"Setting '--config': config file '{ConfigPath}' does not exist.", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_config_path_is_refused_with_a_setting_error(string path)
    {
        var error = Assert.Throws<InvalidSettingException>(() => NodeSettingsFile.Load(path, NoEnvironment, null));
        Assert.StartsWith("Setting '--config': the config file path is empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("listen", "Setting '--set': 'listen' is not setting=value")]
    [InlineData("=x", "Setting '--set': '=x' is not setting=value")]
    [InlineData("data-dir=x", "Setting 'data-dir': not a setting")]
    public void A_malformed_set_is_refused(string set, string expected)
    {
        var error = Assert.Throws<InvalidSettingException>(() => NodeSettingsFile.Load(null, NoEnvironment, [set]));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unrelated_cretoai_environment_variables_are_ignored()
    {
        var settings = NodeSettingsFile.Load(null, Environment(("CRETOAI_FAST_NET_EVENT_LOOP", "socket")), null);
        Assert.Equal("127.0.0.1:7400", settings.Listen);
    }

    [Fact]
    public void Written_settings_load_back_identically()
    {
        var settings = new NodeSettings
        {
            DataDirectory = "state",
            Listen = "0.0.0.0:7410",
            MetricsListen = "127.0.0.1:7510",
            MempoolMaxBytes = 3L * 1024 * 1024 * 1024,
            LogLevel = LogLevel.Trace,
            Watchdog = false,
            ShutdownTimeoutSeconds = 42,
        };
        settings.Peers.Add("10.0.0.2:7410");
        settings.Peers.Add("[::1]:7411");
        Directory.CreateDirectory(Path.GetDirectoryName(ConfigPath)!);
        NodeSettingsFile.Write(settings, ConfigPath);
        Assert.Throws<IOException>(() => NodeSettingsFile.Write(settings, ConfigPath));

        var loaded = NodeSettingsFile.Load(ConfigPath, NoEnvironment, null);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(ConfigPath)!, "state"), loaded.DataDirectory);
        Assert.Equal(settings.Listen, loaded.Listen);
        Assert.Equal(settings.Peers, loaded.Peers);
        Assert.Equal(settings.MetricsListen, loaded.MetricsListen);
        Assert.Equal(settings.MempoolMaxBytes, loaded.MempoolMaxBytes);
        Assert.Equal(LogLevel.Trace, loaded.LogLevel);
        Assert.False(loaded.Watchdog);
        Assert.Equal(42, loaded.ShutdownTimeoutSeconds);
        foreach (var name in NodeSettingsFile.SettingNames)
        {
            Assert.Contains($"\"{name}\":", File.ReadAllText(ConfigPath), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Endpoints_parse_to_ip_and_dns_endpoints()
    {
        var settings = NodeSettingsFile.Load(null, NoEnvironment, ["listen=[::1]:7400", "peers=127.0.0.1:7401,validator-2.example:7402,[::1]:7403", "metrics_listen=127.0.0.1:7500"]);
        Assert.Equal(new System.Net.IPEndPoint(System.Net.IPAddress.IPv6Loopback, 7400), settings.GetListenEndPoint());
        Assert.Equal(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 7500), settings.GetMetricsEndPoint());
        var peers = settings.GetPeerEndPoints();
        Assert.Equal(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 7401), peers[0]);
        Assert.Equal(new System.Net.DnsEndPoint("validator-2.example", 7402), peers[1]);
        Assert.Equal(new System.Net.IPEndPoint(System.Net.IPAddress.IPv6Loopback, 7403), peers[2]);
        Assert.Null(new NodeSettings().GetMetricsEndPoint());
    }

    [Fact]
    public void The_sample_config_documents_every_setting_with_its_default()
    {
        var sample = Path.Combine(RepositoryRoot.Path, "tools", "cretoai-fast.sample.json");
        var text = File.ReadAllText(sample);
        foreach (var name in NodeSettingsFile.SettingNames)
        {
            Assert.Contains($"\"{name}\":", text, StringComparison.Ordinal);
            Assert.Contains(NodeSettingsFile.EnvironmentVariableFor(name), text, StringComparison.Ordinal);
        }

        var loaded = NodeSettingsFile.Load(sample, NoEnvironment, null);
        var defaults = NodeSettingsFile.Load(null, NoEnvironment, null);
        Assert.Equal(Relative(defaults, Directory.GetCurrentDirectory()), Relative(loaded, Path.GetDirectoryName(sample)!));
    }

    [Fact]
    public void The_operations_guide_documents_every_setting_and_environment_variable()
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "operations.md"));
        foreach (var name in NodeSettingsFile.SettingNames)
        {
            Assert.Contains($"`{name}`", guide, StringComparison.Ordinal);
            Assert.Contains($"`{NodeSettingsFile.EnvironmentVariableFor(name)}`", guide, StringComparison.Ordinal);
        }
    }

    /// <summary>The JSON of <paramref name="settings"/> with paths made relative again, to compare loads from different directories.</summary>
    private static string Relative(NodeSettings settings, string baseDirectory)
    {
        settings.DataDirectory = Path.GetRelativePath(baseDirectory, settings.DataDirectory);
        settings.IdentityKeyFile = Path.GetRelativePath(baseDirectory, settings.IdentityKeyFile);
        settings.GenesisFile = Path.GetRelativePath(baseDirectory, settings.GenesisFile);
        return NodeSettingsFile.ToJson(settings);
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.TryGetValue(name, out var value) ? value : null;
    }

    private void WriteConfig(string json)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ConfigPath)!);
        File.WriteAllText(ConfigPath, json);
    }
}
