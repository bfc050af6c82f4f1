using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Settings;

/// <summary>One operator setting: its name (config key, and environment variable after the prefix, upper-cased), kind and accessors.</summary>
internal sealed class SettingDefinition
{
    private SettingDefinition(string name, SettingKind kind)
    {
        Name = name;
        Kind = kind;
    }

    public string Name { get; }

    public SettingKind Kind { get; }

    public string EnvironmentVariable => NodeSettingsFile.EnvironmentPrefix + Name.ToUpperInvariant();

    public Func<NodeSettings, string>? GetText { get; private init; }

    public Action<NodeSettings, string>? SetText { get; private init; }

    public Func<NodeSettings, long>? GetInteger { get; private init; }

    public Action<NodeSettings, long>? SetInteger { get; private init; }

    /// <summary>Largest value the property can hold (int or long), checked while parsing; ranges are <see cref="NodeSettings.Validate"/>'s.</summary>
    public long IntegerLimit { get; private init; }

    public Func<NodeSettings, bool>? GetBoolean { get; private init; }

    public Action<NodeSettings, bool>? SetBoolean { get; private init; }

    public Func<NodeSettings, IList<string>>? List { get; private init; }

    public Func<NodeSettings, LogLevel>? GetLogLevel { get; private init; }

    public Action<NodeSettings, LogLevel>? SetLogLevel { get; private init; }

    public static SettingDefinition Text(string name, Func<NodeSettings, string> get, Action<NodeSettings, string> set) =>
        new(name, SettingKind.Text) { GetText = get, SetText = set };

    public static SettingDefinition PathText(string name, Func<NodeSettings, string> get, Action<NodeSettings, string> set) =>
        new(name, SettingKind.Path) { GetText = get, SetText = set };

    public static SettingDefinition Int32(string name, Func<NodeSettings, int> get, Action<NodeSettings, int> set) =>
        new(name, SettingKind.Integer) { GetInteger = s => get(s), SetInteger = (s, v) => set(s, (int)v), IntegerLimit = int.MaxValue };

    public static SettingDefinition Int64(string name, Func<NodeSettings, long> get, Action<NodeSettings, long> set) =>
        new(name, SettingKind.Integer) { GetInteger = get, SetInteger = set, IntegerLimit = long.MaxValue };

    public static SettingDefinition Boolean(string name, Func<NodeSettings, bool> get, Action<NodeSettings, bool> set) =>
        new(name, SettingKind.Boolean) { GetBoolean = get, SetBoolean = set };

    public static SettingDefinition TextList(string name, Func<NodeSettings, IList<string>> list) =>
        new(name, SettingKind.TextList) { List = list };

    public static SettingDefinition Level(string name, Func<NodeSettings, LogLevel> get, Action<NodeSettings, LogLevel> set) =>
        new(name, SettingKind.LogLevel) { GetLogLevel = get, SetLogLevel = set };
}
