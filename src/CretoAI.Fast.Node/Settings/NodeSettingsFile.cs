using System.Globalization;
using System.Text;
using System.Text.Json;
using CretoAI.Fast.Core;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Settings;

/// <summary>
/// Loads <see cref="NodeSettings"/> from three layers, later wins: the JSON config file (comments and
/// trailing commas allowed, snake_case keys, unknown keys refused), then environment variables
/// <c>CRETOAI_FAST_&lt;SETTING&gt;</c> (the key upper-cased, e.g. <c>CRETOAI_FAST_DATA_DIRECTORY</c>),
/// then command-line overrides <c>--set setting=value</c>. A list setting (<c>peers</c>) is replaced
/// whole by a later layer, written comma-separated outside the file. Relative paths, from any layer,
/// are resolved against the config file's directory. The result is validated; every error names the
/// setting, says why and which layer set the value. Reference: docs/operations.md.
/// </summary>
public static class NodeSettingsFile
{
    /// <summary>The config file name <c>testnet init</c> writes and the docs use.</summary>
    public const string DefaultFileName = "cretoai-fast.json";

    /// <summary>Environment variables are this prefix followed by the setting name upper-cased.</summary>
    public const string EnvironmentPrefix = "CRETOAI_FAST_";

    /// <summary>A config file larger than this is not a config file.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    internal static readonly SettingDefinition[] Definitions =
    [
        SettingDefinition.PathText("data_directory", s => s.DataDirectory, (s, v) => s.DataDirectory = v),
        SettingDefinition.PathText("identity_key_file", s => s.IdentityKeyFile, (s, v) => s.IdentityKeyFile = v),
        SettingDefinition.PathText("genesis_file", s => s.GenesisFile, (s, v) => s.GenesisFile = v),
        SettingDefinition.Text("listen", s => s.Listen, (s, v) => s.Listen = v),
        SettingDefinition.TextList("peers", s => s.Peers),
        SettingDefinition.Text("metrics_listen", s => s.MetricsListen, (s, v) => s.MetricsListen = v),
        SettingDefinition.Int32("mempool_max_transactions", s => s.MempoolMaxTransactions, (s, v) => s.MempoolMaxTransactions = v),
        SettingDefinition.Int64("mempool_max_bytes", s => s.MempoolMaxBytes, (s, v) => s.MempoolMaxBytes = v),
        SettingDefinition.Int32("checkpoint_every_blocks", s => s.CheckpointEveryBlocks, (s, v) => s.CheckpointEveryBlocks = v),
        SettingDefinition.Int32("idle_proposal_delay_ms", s => s.IdleProposalDelayMs, (s, v) => s.IdleProposalDelayMs = v),
        SettingDefinition.Int32("sync_batch_blocks", s => s.SyncBatchBlocks, (s, v) => s.SyncBatchBlocks = v),
        SettingDefinition.Int32("sync_batch_max_bytes", s => s.SyncBatchMaxBytes, (s, v) => s.SyncBatchMaxBytes = v),
        SettingDefinition.Int32("max_frame_payload_bytes", s => s.MaxFramePayloadBytes, (s, v) => s.MaxFramePayloadBytes = v),
        SettingDefinition.Int32("max_connections", s => s.MaxConnections, (s, v) => s.MaxConnections = v),
        SettingDefinition.Int32("net_busy_poll_us", s => s.NetBusyPollUs, (s, v) => s.NetBusyPollUs = v),
        SettingDefinition.Int32("verify_threads", s => s.VerifyThreads, (s, v) => s.VerifyThreads = v),
        SettingDefinition.Int32("router_max_payload_bytes", s => s.Router.MaxPayloadBytes, (s, v) => s.Router.MaxPayloadBytes = v),
        SettingDefinition.Int32("router_mailbox_max_messages", s => s.Router.MailboxMaxMessages, (s, v) => s.Router.MailboxMaxMessages = v),
        SettingDefinition.Int64("router_mailbox_max_bytes", s => s.Router.MailboxMaxBytes, (s, v) => s.Router.MailboxMaxBytes = v),
        SettingDefinition.Int64("router_max_queued_bytes", s => s.Router.MaxQueuedBytes, (s, v) => s.Router.MaxQueuedBytes = v),
        SettingDefinition.Int32("router_max_mailboxes", s => s.Router.MaxMailboxes, (s, v) => s.Router.MaxMailboxes = v),
        SettingDefinition.Int32("router_max_agents", s => s.Router.MaxAgents, (s, v) => s.Router.MaxAgents = v),
        SettingDefinition.Int64("router_message_ttl_ms", s => s.Router.MessageTtlMs, (s, v) => s.Router.MessageTtlMs = v),
        SettingDefinition.Int64("router_redeliver_after_ms", s => s.Router.RedeliverAfterMs, (s, v) => s.Router.RedeliverAfterMs = v),
        SettingDefinition.Int32("router_dedup_window_entries", s => s.Router.DedupWindowEntries, (s, v) => s.Router.DedupWindowEntries = v),
        SettingDefinition.Int64("router_dedup_window_ms", s => s.Router.DedupWindowMs, (s, v) => s.Router.DedupWindowMs = v),
        SettingDefinition.Int32("router_rate_min_per_second", s => s.Router.RateMinPerSecond, (s, v) => s.Router.RateMinPerSecond = v),
        SettingDefinition.Int32("router_rate_max_per_second", s => s.Router.RateMaxPerSecond, (s, v) => s.Router.RateMaxPerSecond = v),
        SettingDefinition.Int32("router_rate_burst_seconds", s => s.Router.RateBurstSeconds, (s, v) => s.Router.RateBurstSeconds = v),
        SettingDefinition.Int32("router_fanout_max_recipients", s => s.Router.FanOutMaxRecipients, (s, v) => s.Router.FanOutMaxRecipients = v),
        SettingDefinition.Int32("router_fanout_cost", s => s.Router.FanOutCost, (s, v) => s.Router.FanOutCost = v),
        SettingDefinition.Int32("router_presence_max_entries", s => s.Router.PresenceMaxEntries, (s, v) => s.Router.PresenceMaxEntries = v),
        SettingDefinition.Int64("router_presence_ttl_ms", s => s.Router.PresenceTtlMs, (s, v) => s.Router.PresenceTtlMs = v),
        SettingDefinition.Int64("router_presence_refresh_ms", s => s.Router.PresenceRefreshMs, (s, v) => s.Router.PresenceRefreshMs = v),
        SettingDefinition.Int32("router_presence_change_queue", s => s.Router.PresenceChangeQueue, (s, v) => s.Router.PresenceChangeQueue = v),
        SettingDefinition.Int64("router_challenge_ttl_ms", s => s.Router.ChallengeTtlMs, (s, v) => s.Router.ChallengeTtlMs = v),
        SettingDefinition.Int32("router_verify_queue_capacity", s => s.Router.VerifyQueueCapacity, (s, v) => s.Router.VerifyQueueCapacity = v),
        SettingDefinition.Int32("router_verify_batch_size", s => s.Router.VerifyBatchSize, (s, v) => s.Router.VerifyBatchSize = v),
        SettingDefinition.Int32("shutdown_timeout_seconds", s => s.ShutdownTimeoutSeconds, (s, v) => s.ShutdownTimeoutSeconds = v),
        SettingDefinition.Level("log_level", s => s.LogLevel, (s, v) => s.LogLevel = v),
        SettingDefinition.Boolean("watchdog", s => s.Watchdog, (s, v) => s.Watchdog = v),
    ];

    /// <summary>Every setting name (config key), in documentation order.</summary>
    public static IReadOnlyList<string> SettingNames { get; } = Array.ConvertAll(Definitions, d => d.Name);

    /// <summary>The environment variable of <paramref name="setting"/>, e.g. <c>CRETOAI_FAST_LISTEN</c> for <c>listen</c>.</summary>
    /// <exception cref="ArgumentException">No such setting.</exception>
    public static string EnvironmentVariableFor(string setting) =>
        Find(setting)?.EnvironmentVariable ?? throw new ArgumentException($"'{setting}' is not a setting.", nameof(setting));

    /// <summary>Loads from <paramref name="configPath"/> (null: none; paths resolve against the current directory), the process environment and <paramref name="overrides"/>.</summary>
    /// <exception cref="InvalidSettingException">The file is missing or malformed, or a value is invalid; the message names the setting and where it was set.</exception>
    public static NodeSettings Load(string? configPath, IReadOnlyList<string>? overrides = null) =>
        Load(configPath, Environment.GetEnvironmentVariable, overrides);

    /// <summary>
    /// Loads from <paramref name="configPath"/>, then <paramref name="environment"/> (a lookup by variable
    /// name; unset is null), then <paramref name="overrides"/> (each <c>setting=value</c>, as given to
    /// <c>--set</c>), resolves relative paths and validates (<see cref="NodeSettings.Validate"/>).
    /// </summary>
    /// <exception cref="InvalidSettingException">The file is missing or malformed, or a value is invalid; the message names the setting and where it was set.</exception>
    public static NodeSettings Load(string? configPath, Func<string, string?> environment, IReadOnlyList<string>? overrides)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var settings = new NodeSettings();
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        string baseDirectory;
        if (configPath is null)
        {
            baseDirectory = Directory.GetCurrentDirectory();
        }
        else
        {
            if (string.IsNullOrWhiteSpace(configPath))
            {
                throw new InvalidSettingException("--config", "the config file path is empty; give the path of a settings file (see 'cretoai-fast testnet init' or tools/cretoai-fast.sample.json).");
            }

            var full = Path.GetFullPath(configPath);
            baseDirectory = Path.GetDirectoryName(full) ?? Directory.GetCurrentDirectory();
            ApplyFile(settings, configPath, sources);
        }

        foreach (var definition in Definitions)
        {
            if (environment(definition.EnvironmentVariable) is { } value)
            {
                var source = $"environment variable {definition.EnvironmentVariable}";
                ApplyText(settings, definition, value, source);
                sources[definition.Name] = source;
            }
        }

        foreach (var item in overrides ?? [])
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new InvalidSettingException("--set", $"'{item}' is not setting=value (for example --set listen=0.0.0.0:7400).");
            }

            var name = item[..equals].Trim().Replace('-', '_').ToLowerInvariant();
            var definition = Find(name) ?? throw Unknown(item[..equals].Trim(), "--set");
            var source = $"--set {item}";
            ApplyText(settings, definition, item[(equals + 1)..], source);
            sources[definition.Name] = source;
        }

        foreach (var definition in Definitions)
        {
            if (definition.Kind == SettingKind.Path && definition.GetText!(settings) is { Length: > 0 } path && !Path.IsPathFullyQualified(path))
            {
                definition.SetText!(settings, Path.GetFullPath(Path.Combine(baseDirectory, path)));
            }
        }

        try
        {
            return settings.Validate();
        }
        catch (InvalidSettingException e)
        {
            var bracket = e.Setting.IndexOf('[', StringComparison.Ordinal);
            var name = bracket > 0 ? e.Setting[..bracket] : e.Setting;
            if (!sources.TryGetValue(name, out var source))
            {
                throw;
            }

            throw new InvalidSettingException(e.Setting, $"{Reason(e).TrimEnd('.')} (set by {source}).", e);
        }
    }

    /// <summary>Every setting of <paramref name="settings"/> as an indented JSON object, in documentation order (no comments, so jq reads it).</summary>
    public static string ToJson(NodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 2 }))
        {
            writer.WriteStartObject();
            foreach (var d in Definitions)
            {
                switch (d.Kind)
                {
                    case SettingKind.Text or SettingKind.Path:
                        writer.WriteString(d.Name, d.GetText!(settings));
                        break;
                    case SettingKind.Integer:
                        writer.WriteNumber(d.Name, d.GetInteger!(settings));
                        break;
                    case SettingKind.Boolean:
                        writer.WriteBoolean(d.Name, d.GetBoolean!(settings));
                        break;
                    case SettingKind.TextList:
                        writer.WriteStartArray(d.Name);
                        foreach (var item in d.List!(settings))
                        {
                            writer.WriteStringValue(item);
                        }

                        writer.WriteEndArray();
                        break;
                    case SettingKind.LogLevel:
                        writer.WriteString(d.Name, d.GetLogLevel!(settings).ToString());
                        break;
                    default:
                        throw new InvalidOperationException($"Setting kind {d.Kind} has no JSON form.");
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> (mode 0644), whole or not at all; an existing file is refused unless <paramref name="overwrite"/>.</summary>
    /// <exception cref="IOException">The file exists (without <paramref name="overwrite"/>) or cannot be written.</exception>
    public static void Write(NodeSettings settings, string path, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        Chain.DocumentFile.Write(path, ToJson(settings), "config file", overwrite);
    }

    internal static SettingDefinition? Find(string name)
    {
        foreach (var d in Definitions)
        {
            if (string.Equals(d.Name, name, StringComparison.Ordinal))
            {
                return d;
            }
        }

        return null;
    }

    private static void ApplyFile(NodeSettings settings, string path, Dictionary<string, string> sources)
    {
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxFileBytes)
            {
                throw new InvalidSettingException("--config", $"'{path}' is {stream.Length:N0} bytes, too large for a config file (at most {MaxFileBytes:N0}).");
            }

            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidSettingException("--config", $"config file '{path}' does not exist.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new InvalidSettingException("--config", $"cannot read config file '{path}': {e.Message}", e);
        }

        // Duplicate settings are refused below, not by JsonDocument: its duplicate check hashes names with
        // a seed from RandomNumberGenerator, which on Linux loads OpenSSL (~10 ms of start-up) for nothing else.
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, options);
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } l ? string.Create(CultureInfo.InvariantCulture, $" at line {l + 1}") : string.Empty;
            var cut = e.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            throw new InvalidSettingException("--config", $"config file '{path}' is not valid JSON{line}: {(cut > 0 ? e.Message[..cut] : e.Message)}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidSettingException("--config", $"config file '{path}' holds a JSON {Describe(document.RootElement.ValueKind)}; expected an object of settings.");
            }

            var source = $"config file '{path}'";
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw new InvalidSettingException("--config", $"config file '{path}' sets '{property.Name}' more than once.");
                }

                var definition = Find(property.Name) ?? throw Unknown(property.Name, source);
                ApplyJson(settings, definition, property.Value, source);
                sources[definition.Name] = source;
            }
        }
    }

    private static void ApplyJson(NodeSettings settings, SettingDefinition d, JsonElement value, string source)
    {
        switch (d.Kind)
        {
            case SettingKind.Text or SettingKind.Path:
                d.SetText!(settings, value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Expected(d.Name, "a string", value, source));
                break;
            case SettingKind.Integer:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
                {
                    throw Expected(d.Name, "an integer", value, source);
                }

                SetInteger(settings, d, number, value.GetRawText(), source);
                break;
            case SettingKind.Boolean:
                d.SetBoolean!(settings, value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Expected(d.Name, "true or false", value, source),
                });
                break;
            case SettingKind.TextList:
                if (value.ValueKind != JsonValueKind.Array)
                {
                    throw Expected(d.Name, "an array of strings", value, source);
                }

                var items = new List<string>();
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    items.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Expected($"{d.Name}[{index}]", "a string", item, source));
                    index++;
                }

                Replace(d.List!(settings), items);
                break;
            case SettingKind.LogLevel:
                var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Expected(d.Name, "a log level name", value, source);
                d.SetLogLevel!(settings, ParseLogLevel(d.Name, text, source));
                break;
            default:
                throw new InvalidOperationException($"Setting kind {d.Kind} has no JSON form.");
        }
    }

    private static void ApplyText(NodeSettings settings, SettingDefinition d, string text, string source)
    {
        switch (d.Kind)
        {
            case SettingKind.Text or SettingKind.Path:
                d.SetText!(settings, text);
                break;
            case SettingKind.Integer:
                if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    throw new InvalidSettingException(d.Name, $"'{text}' is not an integer (set by {source}).");
                }

                SetInteger(settings, d, number, text, source);
                break;
            case SettingKind.Boolean:
                d.SetBoolean!(settings, text.Trim().ToLowerInvariant() switch
                {
                    "true" or "yes" or "on" or "1" => true,
                    "false" or "no" or "off" or "0" => false,
                    _ => throw new InvalidSettingException(d.Name, $"'{text}' is not a boolean (true/false, yes/no, on/off, 1/0) (set by {source})."),
                });
                break;
            case SettingKind.TextList:
                Replace(d.List!(settings), text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                break;
            case SettingKind.LogLevel:
                d.SetLogLevel!(settings, ParseLogLevel(d.Name, text.Trim(), source));
                break;
            default:
                throw new InvalidOperationException($"Setting kind {d.Kind} has no text form.");
        }
    }

    private static void SetInteger(NodeSettings settings, SettingDefinition d, long value, string text, string source)
    {
        if (value > d.IntegerLimit || value < -d.IntegerLimit - 1)
        {
            throw new InvalidSettingException(d.Name, $"{text} is too large (at most {d.IntegerLimit}) (set by {source}).");
        }

        d.SetInteger!(settings, value);
    }

    private static LogLevel ParseLogLevel(string name, string text, string source)
    {
        foreach (var level in (ReadOnlySpan<LogLevel>)[LogLevel.Trace, LogLevel.Debug, LogLevel.Information, LogLevel.Warning, LogLevel.Error, LogLevel.Critical, LogLevel.None])
        {
            if (string.Equals(level.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                return level;
            }
        }

        throw new InvalidSettingException(name, $"'{text}' is not a log level (Trace, Debug, Information, Warning, Error, Critical, None) (set by {source}).");
    }

    private static void Replace(IList<string> list, IEnumerable<string> items)
    {
        list.Clear();
        foreach (var item in items)
        {
            list.Add(item);
        }
    }

    private static InvalidSettingException Expected(string setting, string what, JsonElement value, string source) =>
        new(setting, $"expected {what}, got a JSON {Describe(value.ValueKind)} ({Shorten(value.GetRawText())}) (set by {source}).");

    private static InvalidSettingException Unknown(string name, string source)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var d in Definitions)
        {
            var distance = Distance(name.ToLowerInvariant().Replace('-', '_'), d.Name);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = d.Name;
            }
        }

        var hint = bestDistance <= 3 ? $" (did you mean '{best}'?)" : string.Empty;
        return new InvalidSettingException(name, $"not a setting{hint}, in {source}. Settings: {string.Join(", ", SettingNames)}.");
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "value",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    private static string Reason(InvalidSettingException e)
    {
        var prefix = $"Setting '{e.Setting}': ";
        return e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
    }
}
